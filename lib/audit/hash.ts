// Leaf and chain hashes of the audit log. Leaves use the RFC 6962 / RFC 9162 leaf prefix
// (0x00) so the same leaf hashes feed the Merkle tree of signed checkpoints.
import { createHash } from "node:crypto";

export const HASH_BYTES = 32;
/** The chain hash "before" the first event. */
export const GENESIS_CHAIN_HASH: Uint8Array = new Uint8Array(HASH_BYTES);

const LEAF_PREFIX = Buffer.from([0x00]);

/** SHA-256(0x00 ‖ UTF-8 body) */
export function leafHash(body: string): Uint8Array {
  return createHash("sha256").update(LEAF_PREFIX).update(body, "utf8").digest();
}

/** SHA-256(previous chainHash ‖ leafHash) */
export function chainHash(previous: Uint8Array, leaf: Uint8Array): Uint8Array {
  return createHash("sha256").update(previous).update(leaf).digest();
}

/** Hex SHA-256 of a UTF-8 string (content hashes of datapoints, policies, comment bodies). */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

export function fromHex(hex: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) throw new TypeError("not a lower-case hex string");
  return Buffer.from(hex, "hex");
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
