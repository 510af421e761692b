// The Ed25519 key that signs checkpoints: a PKCS#8 PEM file outside the database, so a
// database dump or a compromised database cannot forge the log's signature. The default
// file is generated on first start, like the development secrets beside it.
import { createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { appendFileSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, dataDir, env } from "@/lib/env";

export type CheckpointKey = { file: string; privateKey: KeyObject; created: boolean };

/** Where the key lives: PLENARY_CHECKPOINT_KEY_FILE, else PLENARY_DATA_DIR/checkpoint-key.pem. */
export function checkpointKeyFile(): { file: string; configured: boolean } {
  const configured = env().PLENARY_CHECKPOINT_KEY_FILE;
  return configured
    ? { file: path.resolve(configured), configured: true }
    : { file: path.join(dataDir(), "checkpoint-key.pem"), configured: false };
}

/**
 * Reads the key, generating the default file when it does not exist yet. A configured file
 * must exist: making a new key there would quietly replace the key verifiers trust.
 */
export function loadOrCreateCheckpointKey(): CheckpointKey {
  const { file, configured } = checkpointKeyFile();
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    if (configured) {
      throw new ConfigError(
        `PLENARY_CHECKPOINT_KEY_FILE names ${file}, which does not exist; create an Ed25519 key there (openssl genpkey -algorithm ed25519 -out ${file}) or unset it.`,
      );
    }
    return { file, privateKey: create(file), created: true };
  }
  return { file, privateKey: parse(pem, file), created: false };
}

function create(file: string): KeyObject {
  const { privateKey } = generateKeyPairSync("ed25519");
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  // Written aside and linked into place: link refuses an existing file, so when two processes
  // start at once the second reads the first one's complete key instead of replacing it.
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return parse(readFileSync(file, "utf8"), file);
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  return privateKey;
}

function parse(pem: string, file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    throw new ConfigError(`${file} is not a PEM private key; it must hold the Ed25519 key that signs checkpoints.`);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new ConfigError(`${file} holds a ${key.asymmetricKeyType} key; checkpoints are signed with Ed25519.`);
  }
  return key;
}

/**
 * The log's key rotations (lib/checkpoints/rotation.ts), one signed note a line, beside the
 * key file: like the key, they live outside the database, and every instance that has the key
 * file has them. Empty until the key is first rotated (`npm run key:rotate`).
 */
function keyRotationsFile(): string {
  return `${checkpointKeyFile().file}.rotations.jsonl`;
}

export function readKeyRotations(): string[] {
  let text: string;
  try {
    text = readFileSync(keyRotationsFile(), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => (JSON.parse(line) as { note: string }).note);
}

/**
 * Replaces the key file with `next` after `rotationNote` (signed by the old key) is appended to
 * the rotations file; the old key is kept beside it as `<file>.retired-<key ID>`.
 */
export function installRotatedKey(next: KeyObject, rotationNote: string, retiredKeyId: string): { retired: string } {
  const { file } = checkpointKeyFile();
  appendFileSync(keyRotationsFile(), `${JSON.stringify({ note: rotationNote })}\n`, { mode: 0o644 });
  const retired = `${file}.retired-${retiredKeyId}`;
  renameSync(file, retired);
  writeFileSync(file, next.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
  return { retired };
}

/** A private key file to rotate to: must hold an Ed25519 key. */
export function readPrivateKeyFile(file: string): KeyObject {
  return parse(readFileSync(file, "utf8"), file);
}
