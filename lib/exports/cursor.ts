// Resume points of the table downloads: the sort key of the last row sent, plus the log
// position (cut) the download describes, so a resumed download continues the same snapshot
// instead of mixing two. Opaque to users (base64url JSON) but read back from the query
// string, so decoding treats it as untrusted: anything malformed is null, never thrown.
import { z } from "zod";
import { openCursor, sealCursor } from "@/lib/http/opaque-cursor";

/** Each family of files walks its own key: datapoint id, or (datapoint id, decision/voter id). */
export type CursorFamily = "dataset" | "preference" | "decisions" | "votes";

export type ExportCursor = { family: CursorFamily; cut: bigint; key: string[] };

const KEY_LENGTH: Record<CursorFamily, number> = { dataset: 1, preference: 1, decisions: 2, votes: 2 };

const cursorSchema = z.strictObject({
  f: z.enum(["dataset", "preference", "decisions", "votes"]),
  c: z.string().regex(/^[0-9]{1,16}$/),
  k: z.array(z.uuid()).min(1).max(2),
});

export function encodeCursor({ family, cut, key }: ExportCursor): string {
  return sealCursor({ f: family, c: String(cut), k: key });
}

/** The cursor, or null when it is malformed or was made for another family of files. */
export function decodeCursor(text: string, family: CursorFamily): ExportCursor | null {
  const parsed = openCursor(text, cursorSchema, 512);
  if (!parsed || parsed.f !== family || parsed.k.length !== KEY_LENGTH[family]) return null;
  return { family, cut: BigInt(parsed.c), key: parsed.k };
}
