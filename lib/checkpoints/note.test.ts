import { createHash, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { toHex } from "@/lib/audit/hash";
import { checkpointText, parseCheckpointText, signCheckpoint, verifyCheckpoint } from "./format";
import { noteKeyId, noteVerifier, openNote, parseVerifierKey, rawPublicKey, signNote, verifierKeyString } from "./note";

// The worked example of c2sp.org/signed-note ("Verifier keys" → "Example").
const SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
const SPEC_NOTE =
  "This is an example message.\n\n" +
  "\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

const newKey = () => generateKeyPairSync("ed25519").privateKey;
const ORIGIN = "plenary.test/log";

describe("signed notes (c2sp.org/signed-note)", () => {
  it("verifies the specification's example note with its verifier key", () => {
    const verifier = parseVerifierKey(SPEC_VKEY);
    expect(verifier).not.toBeNull();
    expect(toHex(verifier!.keyId)).toBe("530d903a");
    expect(verifierKeyString(verifier!)).toBe(SPEC_VKEY);
    expect(openNote(SPEC_NOTE, verifier!)).toEqual({ ok: true, text: "This is an example message.\n" });
    expect(openNote(SPEC_NOTE.replace("example message", "example massage"), verifier!).ok).toBe(false);
  });

  it("derives the key ID as SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]", () => {
    const key = newKey();
    const publicKey = rawPublicKey(key);
    expect(publicKey).toHaveLength(32);
    const expected = createHash("sha256")
      .update(`${ORIGIN}\n`)
      .update(Buffer.from([1]))
      .update(publicKey)
      .digest()
      .subarray(0, 4);
    expect(toHex(noteKeyId(ORIGIN, publicKey))).toBe(toHex(expected));
    const vkey = verifierKeyString(noteVerifier(ORIGIN, key));
    expect(vkey).toMatch(new RegExp(`^${ORIGIN}\\+${toHex(expected)}\\+[A-Za-z0-9+/]{44}$`));
    expect(parseVerifierKey(vkey)).toEqual(noteVerifier(ORIGIN, key));
    // A vkey whose ID does not follow from its key is refused.
    expect(parseVerifierKey(vkey.replace(`+${toHex(expected)}+`, "+00000000+"))).toBeNull();
  });

  it("round-trips a note and rejects tampering, other keys and malformed notes", () => {
    const key = newKey();
    const verifier = noteVerifier(ORIGIN, key);
    const { note, keyId, signature } = signNote("hello\nworld\n", { name: ORIGIN, privateKey: key });
    expect(toHex(keyId)).toBe(toHex(verifier.keyId));
    expect(signature).toHaveLength(64);
    expect(openNote(note, verifier)).toEqual({ ok: true, text: "hello\nworld\n" });

    expect(openNote(note.replace("world", "w0rld"), verifier)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not verify/),
    });
    expect(openNote(note, noteVerifier(ORIGIN, newKey()))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not signed by/),
    });
    expect(openNote(note, noteVerifier("other.test/log", key)).ok).toBe(false);
    // Same name and ID but another key: the signature is checked and fails.
    expect(openNote(note, { ...verifier, publicKey: rawPublicKey(newKey()) }).ok).toBe(false);

    for (const bad of [
      note.slice(0, -1),
      note.replace("\n\n", "\n"),
      note.replace("hello", "hel\u0007lo"),
      note.replace(/=?\n$/, "!\n"),
      "",
      "x".repeat(70_000),
    ]) {
      expect(openNote(bad, verifier).ok).toBe(false);
    }
    expect(() => signNote("no newline", { name: ORIGIN, privateKey: key })).toThrow(TypeError);
    expect(() => signNote("x\n", { name: "has space", privateKey: key })).toThrow(TypeError);
  });

  it("ignores signatures by unknown keys", () => {
    const [mine, theirs] = [newKey(), newKey()];
    const { note } = signNote("cosigned\n", { name: ORIGIN, privateKey: mine });
    const other = signNote("cosigned\n", { name: "witness.test/w1", privateKey: theirs }).note.split("\n\n")[1]!;
    expect(openNote(note + other, noteVerifier(ORIGIN, mine))).toEqual({ ok: true, text: "cosigned\n" });
    expect(openNote(note + other, noteVerifier("witness.test/w1", theirs)).ok).toBe(true);
  });
});

describe("checkpoints (c2sp.org/tlog-checkpoint)", () => {
  const body = {
    treeSize: 1234n,
    rootHash: new Uint8Array(32).fill(7),
    timestamp: new Date("2026-11-27T09:30:00.123Z"),
  };

  it("formats origin, size, base64 root and a timestamp extension line", () => {
    expect(checkpointText({ ...body, origin: ORIGIN })).toBe(
      `${ORIGIN}\n1234\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\ntimestamp 1795771800123\n`,
    );
  });

  it("signs and verifies, and refuses tampered, foreign or malformed checkpoints", () => {
    const key = newKey();
    const verifier = noteVerifier(ORIGIN, key);
    const { note } = signCheckpoint(body, { name: ORIGIN, privateKey: key });
    expect(verifyCheckpoint(note, verifier)).toEqual({ ok: true, checkpoint: { ...body, origin: ORIGIN } });
    expect(verifyCheckpoint(note.replace("\n1234\n", "\n1235\n"), verifier).ok).toBe(false);
    expect(verifyCheckpoint(note.replace("timestamp 1795771800123", "timestamp 1795771800124"), verifier).ok).toBe(
      false,
    );
    expect(verifyCheckpoint(note, noteVerifier(ORIGIN, newKey())).ok).toBe(false);
    expect(verifyCheckpoint(note, verifier, "elsewhere.test/log")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not elsewhere/),
    });
  });

  it("parses only well-formed checkpoint text", () => {
    const good = checkpointText({ ...body, origin: ORIGIN });
    expect(parseCheckpointText(good).ok).toBe(true);
    const broken = [
      good.slice(0, -1),
      good.replace("\n1234\n", "\n01234\n"),
      good.replace("\n1234\n", "\n-4\n"),
      good.replace("BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=", "BwcH"),
      good.replace(/timestamp .*\n/, ""),
      good.replace(/timestamp .*\n/, "timestamp soon\n"),
      good + "timestamp 5\n",
      good.replace(/\n$/, "\n\n"),
      `\n${good}`,
    ];
    for (const text of broken) expect(parseCheckpointText(text).ok, JSON.stringify(text)).toBe(false);
    // The spec's own example is well formed but carries no timestamp, which Plenary requires.
    const spec = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    expect(parseCheckpointText(spec)).toMatchObject({ ok: false, reason: expect.stringMatching(/timestamp/) });
    expect(parseCheckpointText(`${spec}timestamp 0\n`)).toMatchObject({
      ok: true,
      checkpoint: { treeSize: 20852163n },
    });
  });
});
