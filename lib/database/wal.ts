// PostgreSQL WAL positions (pg_lsn): two 32-bit halves in hex, "16/B374D848". As bigints they
// compare as PostgreSQL compares them.

const LSN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** The position, or null for anything that is not one (a cookie is client input). */
export function parseLsn(text: string): bigint | null {
  const match = LSN.exec(text);
  return match ? (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`) : null;
}

/** The position as PostgreSQL writes it. */
export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}
