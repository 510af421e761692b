// The log's configured signing identity: origin (PLENARY_LOG_ORIGIN) as key name, and the
// Ed25519 key from outside the database. Read again only when the key file changes.
import { createPublicKey } from "node:crypto";
import { statSync } from "node:fs";
import { toHex } from "@/lib/audit/hash";
import { env } from "@/lib/env";
import { checkpointKeyFile, loadOrCreateCheckpointKey } from "@/lib/runtime/checkpoint-key";
import { keyFingerprint, noteVerifier, verifierKeyString, type NoteSigner } from "./note";

let cached: (NoteSigner & { version: string }) | undefined;

/** The signer; read again when the origin or the key file changed (npm run key:rotate replaces the file). */
export function configuredSigner(): NoteSigner {
  const name = env().PLENARY_LOG_ORIGIN;
  const { file } = checkpointKeyFile();
  const version = `${name}\n${file}\n${fileVersion(file)}`;
  if (cached?.version !== version) {
    const { privateKey } = loadOrCreateCheckpointKey();
    cached = { name, privateKey, version: `${name}\n${file}\n${fileVersion(file)}` };
  }
  return cached;
}

function fileVersion(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.ino}:${stat.mtimeMs}`;
  } catch {
    return "absent";
  }
}

export type PublishedKey = {
  origin: string;
  keyName: string;
  keyId: string;
  algorithm: "Ed25519";
  verifierKey: string;
  /** SHA-256 of the raw public key (keyFingerprint): what people compare. */
  fingerprint: string;
  publicKey: string;
  publicKeyPem: string;
  checkpointFormat: string;
};

/** What verifiers need to trust checkpoints: served at /.well-known/plenary-checkpoint-key. */
export function publishedKey(): PublishedKey {
  const signer = configuredSigner();
  const verifier = noteVerifier(signer.name, signer.privateKey);
  return {
    origin: signer.name,
    keyName: signer.name,
    keyId: toHex(verifier.keyId),
    algorithm: "Ed25519",
    verifierKey: verifierKeyString(verifier),
    fingerprint: keyFingerprint(verifier.publicKey),
    publicKey: Buffer.from(verifier.publicKey).toString("base64"),
    publicKeyPem: createPublicKey(signer.privateKey).export({ type: "spki", format: "pem" }).toString(),
    checkpointFormat:
      "c2sp.org/tlog-checkpoint signed note (c2sp.org/signed-note, Ed25519): origin, tree size, base64 RFC 9162 root hash, " +
      "then the extension line `timestamp <milliseconds since the Unix epoch>`",
  };
}
