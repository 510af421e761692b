// C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys: the envelope of Plenary's
// checkpoints, so any note or tlog tool can check them. Pure (node:crypto only), like the
// audit log's hashing, so the offline verifier can reuse it.
import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { equalBytes, toHex } from "@/lib/audit/hash";

/** Signature type byte of plain Ed25519 note signatures. */
const ED25519 = 0x01;
const KEY_ID_BYTES = 4;
const SIGNATURE_BYTES = 64;
/** Bounds the work a hostile note can cause; real checkpoints are a few hundred bytes. */
const MAX_NOTE_CHARS = 64 * 1024;
const MAX_SIGNATURES = 64;

export type NoteSigner = { name: string; privateKey: KeyObject };
export type NoteVerifier = { name: string; keyId: Uint8Array; publicKey: Uint8Array };
export type Opened = { ok: true; text: string } | { ok: false; reason: string };

/** Key names are non-empty, without Unicode spaces or "+" (the vkey separator). */
function isKeyName(name: string): boolean {
  return /^[^\s+\p{Cc}]+$/u.test(name);
}

/** key ID = SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key)[:4] */
export function noteKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  const digest = createHash("sha256")
    .update(name, "utf8")
    .update(Buffer.from([0x0a, ED25519]))
    .update(publicKey)
    .digest();
  return Uint8Array.from(digest.subarray(0, KEY_ID_BYTES));
}

/** The raw 32-byte Ed25519 public key of a private or public key object. */
export function rawPublicKey(key: KeyObject): Uint8Array {
  const jwk = (key.type === "public" ? key : createPublicKey(key)).export({ format: "jwk" });
  if (jwk.crv !== "Ed25519" || typeof jwk.x !== "string") throw new TypeError("not an Ed25519 key");
  return new Uint8Array(Buffer.from(jwk.x, "base64url"));
}

export function noteVerifier(name: string, key: KeyObject): NoteVerifier {
  const publicKey = rawPublicKey(key);
  return { name, keyId: noteKeyId(name, publicKey), publicKey };
}

/** The verifier key string: `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`. */
export function verifierKeyString({ name, keyId, publicKey }: NoteVerifier): string {
  return `${name}+${toHex(keyId)}+${Buffer.concat([Buffer.from([ED25519]), publicKey]).toString("base64")}`;
}

/**
 * A key's fingerprint for people to compare: SHA-256 of the raw 32-byte Ed25519 public key,
 * in lower-case hex, grouped by four. The 4-byte key ID is too short to compare by eye.
 */
export function keyFingerprint(publicKey: Uint8Array): string {
  const hex = createHash("sha256").update(publicKey).digest("hex");
  return hex.match(/.{4}/g)!.join(":");
}

export function parseVerifierKey(vkey: string): NoteVerifier | null {
  const match = /^([^+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(vkey);
  if (!match || !isKeyName(match[1]!)) return null;
  const material = strictBase64(match[3]!);
  if (!material || material.length !== 33 || material[0] !== ED25519) return null;
  const verifier = {
    name: match[1]!,
    keyId: new Uint8Array(Buffer.from(match[2]!, "hex")),
    publicKey: material.subarray(1),
  };
  // A vkey whose ID does not follow from its key would let a forged note pick its own ID.
  return equalBytes(verifier.keyId, noteKeyId(verifier.name, verifier.publicKey)) ? verifier : null;
}

export type SignedNote = { note: string; keyId: Uint8Array; signature: Uint8Array<ArrayBuffer> };

/** Signs `text` (which must end in a newline): the whole signed note and its parts. */
export function signNote(text: string, signer: NoteSigner): SignedNote {
  if (!text.endsWith("\n") || hasControl(text))
    throw new TypeError("a note text ends in a newline and has no control characters");
  if (!isKeyName(signer.name)) throw new TypeError(`"${signer.name}" is not a valid key name`);
  const { keyId } = noteVerifier(signer.name, signer.privateKey);
  const signature = new Uint8Array(sign(null, Buffer.from(text, "utf8"), signer.privateKey));
  const line = `\u2014 ${signer.name} ${Buffer.concat([keyId, signature]).toString("base64")}\n`;
  return { note: `${text}\n${line}`, keyId, signature };
}

/**
 * Checks a signed note against one trusted key and returns its text. Signatures by other
 * keys are ignored, as the spec requires; a failing signature by this key rejects the note.
 */
export function openNote(note: string, verifier: NoteVerifier): Opened {
  const fail = (reason: string): Opened => ({ ok: false, reason });
  if (typeof note !== "string" || note.length > MAX_NOTE_CHARS) return fail("the note is missing or too long");
  if (!note.endsWith("\n")) return fail("a signed note ends with a newline");
  if (hasControl(note)) return fail("the note contains control characters");
  const gap = note.lastIndexOf("\n\n");
  if (gap < 0) return fail("the note has no blank line before its signatures");
  const text = note.slice(0, gap + 1);
  const lines = note.slice(gap + 2, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) return fail("the note has too many signatures");
  let verified = false;
  for (const line of lines) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/u.exec(line);
    const bytes = match && strictBase64(match[2]!);
    if (!match || !bytes || bytes.length <= KEY_ID_BYTES) return fail(`"${line.slice(0, 80)}" is not a signature line`);
    if (match[1] !== verifier.name || !equalBytes(bytes.subarray(0, KEY_ID_BYTES), verifier.keyId)) continue;
    const signature = bytes.subarray(KEY_ID_BYTES);
    if (signature.length !== SIGNATURE_BYTES || !verifyEd25519(text, signature, verifier.publicKey)) {
      return fail(`the signature by ${verifier.name} does not verify`);
    }
    verified = true;
  }
  return verified ? { ok: true, text } : fail(`the note is not signed by ${verifier.name}+${toHex(verifier.keyId)}`);
}

function verifyEd25519(text: string, signature: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    const key = createPublicKey({
      key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(publicKey).toString("base64url") },
      format: "jwk",
    });
    return verify(null, Buffer.from(text, "utf8"), key, signature);
  } catch {
    return false; // a malformed public key verifies nothing
  }
}

/** Standard base64 that decodes and re-encodes to itself (no junk, no loose padding). */
export function strictBase64(text: string): Uint8Array | null {
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64") === text ? new Uint8Array(bytes) : null;
}

/** Control characters other than newline, or a lone surrogate (which is not valid UTF-8). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) return true;
  }
  return /\p{Cs}/u.test(text);
}
