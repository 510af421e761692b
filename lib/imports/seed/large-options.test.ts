import { describe, expect, it } from "vitest";
import { copyBytes, copyField, uuidv7 } from "./large-rows";
import { checkOptions, isEmbeddedDatabase, largeSeedOptions, parseLargeSeedArgs, SCALES } from "./large-options";

describe("parseLargeSeedArgs", () => {
  it("takes the counts, defaults to the full scale and needs --yes spelled out", () => {
    const parsed = parseLargeSeedArgs(["--datapoints", "50", "--users", "200", "--votes", "2000", "--comments", "300"]);
    expect(parsed).toMatchObject({
      ok: true,
      yes: false,
      verify: true,
      options: { ...SCALES.small, decisions: 1, chunkEvents: 25_000 },
    });
    expect(parseLargeSeedArgs([])).toMatchObject({ ok: true, options: SCALES.full });
    expect(parseLargeSeedArgs(["--yes", "--no-verify"])).toMatchObject({ ok: true, yes: true, verify: false });
  });

  it("refuses what cannot be seeded, in one sentence", () => {
    expect(parseLargeSeedArgs(["--votes", "many"])).toEqual({
      ok: false,
      message: '--votes takes a whole number, not "many".',
    });
    expect(parseLargeSeedArgs(["--frobnicate"])).toMatchObject({ ok: false });
    expect(checkOptions(largeSeedOptions({ datapoints: 2, users: 3, votes: 4, comments: 0 }))).toMatch(/too many/);
    expect(checkOptions(largeSeedOptions({ datapoints: 0, users: 3, votes: 0, comments: 0 }))).toMatch(/--datapoints/);
  });
});

describe("isEmbeddedDatabase", () => {
  const embedded = { port: 5433, password: "generated-password" };
  it("is the loopback server on the embedded port with the generated password, nothing else", () => {
    expect(isEmbeddedDatabase("postgresql://postgres:generated-password@127.0.0.1:5433/plenary", embedded)).toBe(true);
    expect(isEmbeddedDatabase("postgresql://postgres:generated-password@db.example.org:5433/plenary", embedded)).toBe(
      false,
    );
    expect(isEmbeddedDatabase("postgresql://postgres:other@127.0.0.1:5433/plenary", embedded)).toBe(false);
    expect(isEmbeddedDatabase("postgresql://postgres:generated-password@127.0.0.1:5432/plenary", embedded)).toBe(false);
    expect(
      isEmbeddedDatabase("postgresql://postgres:generated-password@127.0.0.1:5433/plenary", {
        port: 5433,
        password: null,
      }),
    ).toBe(false);
  });
});

describe("COPY text", () => {
  it("escapes what COPY's text format treats specially, and writes nulls and bytes", () => {
    expect(copyField("a\tb\nc\\d\re")).toBe("a\\tb\\nc\\\\d\\re");
    expect(copyField(null)).toBe("\\N");
    expect(copyField(12n)).toBe("12");
    expect(copyField(false)).toBe("false");
    expect(copyBytes(Uint8Array.from([0, 255]))).toBe("\\\\x00ff");
  });

  it("makes version 7 UUIDs that carry their time", () => {
    const at = Date.parse("2026-11-27T09:00:00.000Z");
    const id = uuidv7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(at);
    expect(uuidv7(at)).not.toBe(id);
  });
});
