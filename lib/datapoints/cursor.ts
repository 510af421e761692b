// Page cursors of the datapoint list: the sort key of the last row shown, plus its id as the
// tie-breaker, so the next page starts strictly after it (keyset pagination); a "back" cursor
// holds the first row shown, and the previous page ends strictly before it. A cursor is
// opaque to users (base64url JSON) but comes back from the query string, so decoding treats
// it as untrusted input: anything that does not parse exactly is rejected, never thrown.
import { z } from "zod";
import { openCursor, sealCursor } from "@/lib/http/opaque-cursor";

const id = z.uuid();
const instant = z.iso.datetime({ offset: true });
/** Present on a "previous page" cursor: the page ends just before this row. */
const back = z.literal(true).optional();

const cursorSchema = z.discriminatedUnion("s", [
  z.strictObject({ s: z.literal("newest"), createdAt: instant, id, back }),
  z.strictObject({ s: z.literal("discussed"), comments: z.int().min(0), id, back }),
  z.strictObject({ s: z.literal("relevance"), rank: z.number().min(0).max(1e6), id, back }),
  // `at` is the moment the first page was read: whether a datapoint counts as still open
  // is judged at that moment on every page, so a batch closing mid-walk moves no row.
  z.strictObject({
    s: z.literal("closing"),
    at: instant,
    closed: z.union([z.literal(0), z.literal(1)]),
    key: z.int().min(-1e15).max(1e15),
    id,
    back,
  }),
]);

export type CursorKey = z.infer<typeof cursorSchema>;
export type CursorSort = CursorKey["s"];

// Far above any real cursor (≈ 150 characters), low enough to refuse junk cheaply.
const MAX_LENGTH = 512;

export function encodeCursor(key: CursorKey): string {
  return sealCursor(key);
}

/** The key, or null for a malformed or tampered cursor, or one made for another sort order. */
export function decodeCursor(text: string, sort: CursorSort): CursorKey | null {
  const key = openCursor(text, cursorSchema, MAX_LENGTH);
  return key && key.s === sort ? key : null;
}
