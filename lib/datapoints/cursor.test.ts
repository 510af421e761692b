import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, type CursorKey } from "./cursor";

const id = "01a21c2a-1f84-7047-9df6-ccc002ac9dcf";
const keys: CursorKey[] = [
  { s: "newest", createdAt: "2026-11-27T08:40:52.356Z", id },
  { s: "discussed", comments: 7, id },
  { s: "relevance", rank: 0.69806916, id },
  { s: "closing", at: "2026-11-27T08:42:26.125Z", closed: 0, key: 1809129599000, id },
  { s: "closing", at: "2026-11-27T08:42:26.125Z", closed: 1, key: -1764201600000, id },
  { s: "newest", createdAt: "2026-11-27T08:40:52.356Z", id, back: true },
  { s: "closing", at: "2026-11-27T08:42:26.125Z", closed: 0, key: 1809129599000, id, back: true },
];

const encodeJson = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("page cursors", () => {
  it.each(keys)("round-trip the $s key exactly", (key) => {
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, key.s)).toEqual(key);
  });

  it("keep a rank's exact value, so the next page starts exactly after it", () => {
    const rank = Math.fround(0.0607927);
    expect((decodeCursor(encodeCursor({ s: "relevance", rank, id }), "relevance") as { rank: number }).rank).toBe(rank);
  });

  it("refuse a cursor made for another sort order", () => {
    expect(decodeCursor(encodeCursor(keys[0]!), "discussed")).toBeNull();
    expect(decodeCursor(encodeCursor(keys[3]!), "newest")).toBeNull();
  });

  it.each([
    ["empty", ""],
    ["not base64url", "abc+/="],
    ["with spaces", "eyJz IjoibmV3ZXN0In0"],
    ["not JSON", Buffer.from("{nope").toString("base64url")],
    ["JSON but not an object", encodeJson([1, 2, 3])],
    ["an unknown sort", encodeJson({ s: "oldest", id })],
    ["a missing id", encodeJson({ s: "newest", createdAt: "2026-11-27T08:40:52.356Z" })],
    ["an id that is not a UUID", encodeJson({ s: "newest", createdAt: "2026-11-27T08:40:52.356Z", id: "1 OR 1=1" })],
    ["a date that is not a date", encodeJson({ s: "newest", createdAt: "yesterday", id })],
    ["a negative comment count", encodeJson({ s: "discussed", comments: -1, id })],
    ["a fractional comment count", encodeJson({ s: "discussed", comments: 1.5, id })],
    ["a rank that is a string", encodeJson({ s: "relevance", rank: "0.5", id })],
    ["an unknown closed group", encodeJson({ s: "closing", at: "2026-11-27T08:42:26Z", closed: 2, key: 1, id })],
    ["extra fields", encodeJson({ s: "discussed", comments: 1, id, sql: "DROP TABLE" })],
    ["a direction other than back", encodeJson({ s: "discussed", comments: 1, id, back: false })],
    ["far too long", "A".repeat(600)],
  ])("reject %s", (_, cursor) => {
    expect(decodeCursor(cursor, "newest")).toBeNull();
    expect(decodeCursor(cursor, "discussed")).toBeNull();
    expect(decodeCursor(cursor, "closing")).toBeNull();
  });

  it("reject a cursor whose text was altered by one character", () => {
    const cursor = encodeCursor(keys[0]!);
    const tampered = cursor.slice(0, 10) + (cursor[10] === "A" ? "B" : "A") + cursor.slice(11);
    expect(decodeCursor(tampered, "newest")).toBeNull();
  });
});
