// Time-ordered ids for rows written without Prisma, like the uuid(7) defaults Prisma writes.
import { randomFillSync } from "node:crypto";

const POOL_IDS = 4_096;
const pool = Buffer.alloc(16 * POOL_IDS);
let pooled = POOL_IDS;

/** A UUID version 7 (RFC 9562) for time `ms`, like Prisma's uuid(7) defaults write. */
export function uuidv7(ms: number): string {
  if (pooled === POOL_IDS) {
    randomFillSync(pool);
    pooled = 0;
  }
  const bytes = pool.subarray(pooled * 16, ++pooled * 16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
