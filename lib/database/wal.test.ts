import { describe, expect, it } from "vitest";
import { formatLsn, parseLsn } from "./wal";

describe("WAL positions", () => {
  it("read as PostgreSQL orders them, high half first", () => {
    expect(parseLsn("0/0")).toBe(0n);
    expect(parseLsn("16/B374D848")).toBe((0x16n << 32n) | 0xb374d848n);
    expect(parseLsn("1/0")! > parseLsn("0/FFFFFFFF")!).toBe(true);
    expect(parseLsn("0/3000148")! > parseLsn("0/300014")!).toBe(true);
  });

  it("round-trip in PostgreSQL's spelling", () => {
    for (const text of ["0/0", "0/3000148", "16/B374D848", "FFFFFFFF/FFFFFFFF"])
      expect(formatLsn(parseLsn(text)!)).toBe(text);
  });

  it("refuse anything else", () => {
    for (const text of ["", "0", "0/", "/1", "0/1/2", "g/1", "123456789/0", " 0/1", "0/1 ", "-1/0"])
      expect(parseLsn(text)).toBeNull();
  });
});
