// Opaque keyset cursors for URLs: JSON in base64url. Opening one never throws; anything
// malformed, oversized or not of the expected shape reads as "no cursor".
import type { z } from "zod";

export function sealCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

export function openCursor<T>(text: string, schema: z.ZodType<T>, maxLength: number): T | null {
  // Buffer's base64 decoder skips characters it does not know; refuse them up front instead.
  if (text.length === 0 || text.length > maxLength || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
