import canonicalize from "canonicalize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, isCanonicalForm, isCanonicalJson } from "./canonical";

describe("canonicalJson (RFC 8785)", () => {
  it("sorts keys by UTF-16 code units and drops insignificant whitespace", () => {
    // RFC 8785 §3.2.3 sorting example keys.
    const value = {
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis",
    };
    const keys = Object.keys(JSON.parse(canonicalJson(value)) as object);
    expect(canonicalJson(value)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    expect(keys).toHaveLength(7);
  });

  it("serialises numbers as ECMAScript does (RFC 8785 §3.2.2.3)", () => {
    expect(canonicalJson([1e21, 1e-7, 0.000001, -0, 333333333.3333333, 9007199254740991])).toBe(
      "[1e+21,1e-7,0.000001,0,333333333.3333333,9007199254740991]",
    );
  });

  it("refuses values JSON cannot represent", () => {
    expect(() => canonicalJson(undefined)).toThrow();
    expect(() => canonicalJson(Number.NaN)).toThrow();
  });

  it("recognises canonical text and rejects equivalent non-canonical text", () => {
    expect(isCanonicalJson('{"a":1,"b":[true,null]}')).toBe(true);
    expect(isCanonicalJson('{"b":[true,null],"a":1}')).toBe(false);
    expect(isCanonicalJson('{"a": 1}')).toBe(false);
    expect(isCanonicalJson("not json")).toBe(false);
  });
});

// The fast check must accept and reject exactly what the reference implementation does.
describe("isCanonicalForm against the canonicalize package", () => {
  type Json = null | boolean | number | string | Json[] | { entries: [string, Json][] };
  type Style = {
    order: "sorted" | "insertion" | "reversed";
    numbers: boolean;
    escapes: boolean;
    spaces: boolean;
    seed: number;
  };

  const char = fc.oneof(
    fc.constantFrom(
      '"',
      "\\",
      "/",
      "\b",
      "\f",
      "\n",
      "\r",
      "\t",
      "\u0000",
      "\u001f",
      "\u007f",
      "\u2028",
      "\u2029",
      "é",
      "€",
      "😀",
      "\ufb33",
      "\ud83d",
      "\ude00",
    ),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }),
  );
  const text = fc.string({ unit: char, maxLength: 5 });
  const integerLike = fc.constantFrom(
    "0",
    "1",
    "2",
    "10",
    "01",
    "-1",
    "1.5",
    "4294967294",
    "4294967295",
    "9007199254740993",
  );
  const key = fc.oneof(
    text,
    integerLike,
    fc.nat({ max: 50 }).map(String),
    fc.constantFrom("__proto__", "toJSON", "a", "b", "A", "", " ", "aa"),
  );
  const number = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.constantFrom(
      0,
      -0,
      1e21,
      1e-7,
      1e-6,
      5e-324,
      Number.MAX_VALUE,
      333333333.3333333,
      9007199254740991,
      1e20,
      123e-20,
      0.1,
      100,
    ),
  );
  const { json } = fc.letrec<{ json: Json }>((tie) => ({
    json: fc.oneof(
      { depthSize: "small" },
      fc.constant(null),
      fc.boolean(),
      number,
      text,
      fc.array(tie("json"), { maxLength: 4 }),
      fc.array(fc.tuple(key, tie("json")), { maxLength: 5 }).map((entries) => ({ entries })),
    ),
  }));
  const style = fc.record({
    order: fc.constantFrom("sorted", "insertion", "reversed"),
    numbers: fc.boolean(),
    escapes: fc.boolean(),
    spaces: fc.boolean(),
    seed: fc.nat(),
  }) as fc.Arbitrary<Style>;

  /** JSON text of `node`, canonical or written in one of the many other ways JSON allows. */
  function write(node: Json, style: Style): string {
    let state = style.seed || 1;
    const chance = () => ((state = (state * 48271) % 2147483647) % 100) / 100;
    const gap = () => (style.spaces && chance() < 0.2 ? " " : "");
    const str = (value: string) => {
      if (!style.escapes) return JSON.stringify(value);
      let out = '"';
      for (const unit of value.split("")) {
        const code = unit.charCodeAt(0);
        const roll = chance();
        if (roll < 0.1) out += `\\u${code.toString(16).padStart(4, "0")}`;
        else if (roll < 0.15) out += `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
        else if (unit === "/" && roll < 0.5) out += "\\/";
        else if (code >= 0xd800 && code <= 0xdfff && roll < 0.6)
          out += unit; // raw, even when alone
        else out += JSON.stringify(unit).slice(1, -1);
      }
      return `${out}"`;
    };
    const num = (value: number) => {
      if (!style.numbers || chance() < 0.5) return JSON.stringify(value);
      const plain = String(value);
      const variants = [
        value.toExponential(),
        plain.replace("e+", "e"),
        plain.toUpperCase(),
        Object.is(value, -0) ? "-0" : plain,
        /e|\./.test(plain) ? plain : `${plain}.0`,
      ];
      return variants[Math.floor(chance() * variants.length)]!;
    };
    const go = (value: Json): string => {
      if (value === null || typeof value === "boolean") return String(value);
      if (typeof value === "number") return num(value);
      if (typeof value === "string") return str(value);
      if (Array.isArray(value)) return `[${gap()}${value.map(go).join(`,${gap()}`)}]`;
      const entries = [...value.entries];
      if (style.order === "sorted") entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (style.order === "reversed") entries.reverse();
      return `{${entries.map(([k, v]) => `${str(k)}${gap()}:${go(v)}`).join(",")}}`;
    };
    return go(node);
  }

  function reference(text: string): boolean {
    try {
      return canonicalize(JSON.parse(text)) === text;
    } catch {
      return false;
    }
  }

  it("accepts and rejects exactly what canonicalize does, on JSON written in many ways", () => {
    fc.assert(
      fc.property(json, style, (node, how) => {
        const written = write(node, how);
        const value: unknown = JSON.parse(written);
        expect(isCanonicalForm(value, written)).toBe(reference(written));
        expect(isCanonicalJson(written)).toBe(reference(written));
      }),
      { numRuns: 3_000 },
    );
  }, 30_000);

  it("accepts every canonical text and rejects the same value written otherwise", () => {
    fc.assert(
      fc.property(json, (node) => {
        const value: unknown = JSON.parse(
          write(node, { order: "insertion", numbers: false, escapes: false, spaces: false, seed: 1 }),
        );
        let canonical: string | undefined;
        try {
          canonical = canonicalize(value);
        } catch {
          canonical = undefined; // lone surrogates: RFC 8785 has no canonical form for them
        }
        if (canonical === undefined) {
          expect(isCanonicalForm(value, JSON.stringify(value))).toBe(false);
          return;
        }
        expect(isCanonicalForm(value, canonical)).toBe(true);
        const plain = JSON.stringify(value);
        expect(isCanonicalForm(value, plain)).toBe(plain === canonical);
        expect(isCanonicalForm(value, JSON.stringify(value, null, 1))).toBe(
          JSON.stringify(value, null, 1) === canonical,
        );
      }),
      { numRuns: 3_000 },
    );
  }, 30_000);

  it("sees both answers often in the generated texts (the comparison above is not vacuous)", () => {
    const answers = fc
      .sample(fc.tuple(json, style), { numRuns: 2_000, seed: 42 })
      .map(([node, how]) => reference(write(node, how)));
    expect(answers.filter(Boolean).length).toBeGreaterThan(300);
    expect(answers.filter((a) => !a).length).toBeGreaterThan(300);
  });

  it("decides integer-like keys, -0, 1e21 and escaped lone surrogates as RFC 8785 does", () => {
    const cases = [
      '{"1":0,"10":0,"2":0}',
      '{"2":0,"10":0}',
      '{"a":1,"1":2}',
      '{"1":2,"a":1}',
      "[-0]",
      "[0]",
      "[1e+21]",
      "[1e21]",
      '["\\ud800"]',
      '{"\\udc00":1}',
      '["\\u00e9"]',
      '["é"]',
      '{"a":1,"a":2}',
      "[1.0]",
    ];
    for (const text of cases) expect(isCanonicalJson(text), text).toBe(reference(text));
    expect(isCanonicalJson('{"1":0,"10":0,"2":0}')).toBe(true);
    expect(isCanonicalJson('{"2":0,"10":0}')).toBe(false);
    expect(isCanonicalJson('["\\ud800"]')).toBe(false);
  });
});
