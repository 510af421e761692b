import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { argumentsRefusal, formPostRefusal, MAX_REPLY_DEPTH, replyRefusal, type ReplyEntry } from "./action-reply";

const text = (fields: [string, string][]): ReplyEntry[] => fields;

describe("replyRefusal", () => {
  it("accepts what React's client sends for a form action", () => {
    expect(
      argumentsRefusal(
        text([
          ["_1_name", "Ada"],
          ["_1_option", "A"],
          ["0", '[null,"$K1"]'],
        ]),
      ),
    ).toBeNull();
    expect(
      argumentsRefusal(text([["0", '[{"status":"error","message":"$$5 off","fieldErrors":{}},"$K1"]']])),
    ).toBeNull();
    expect(
      argumentsRefusal(
        text([["0", '["$undefined","$K1","$D2026-12-08T00:00:00.000Z","$n12","$-0","$NaN","$Infinity"]']]),
      ),
    ).toBeNull();
    expect(
      argumentsRefusal([
        ["_1_file", new Blob(["{}"])],
        ["0", '[null,"$K1"]'],
      ]),
    ).toBeNull();
    // Outlined parts, by promise, by value and by path.
    expect(
      argumentsRefusal(
        text([
          ["1", '{"a":[1,2]}'],
          ["2", '[["k",1]]'],
          ["3", "[1,2]"],
          ["0", '["$@1","$1:a:0","$Q2","$W3"]'],
        ]),
      ),
    ).toBeNull();
  });

  it("refuses what React cannot decode, with a sentence", () => {
    const cases: [string, [string, string][]][] = [
      ["not JSON", [["0", "{"]]],
      ["no arguments", [["_1_x", "y"]]],
      ["a missing part", [["0", '[null,"$@9"]']]],
      ["a missing outlined value", [["0", '[null,"$a"]']]],
      [
        "a path that does not exist",
        [
          ["1", '{"a":1}'],
          ["0", '["$1:b"]'],
        ],
      ],
      [
        "a path through a string",
        [
          ["1", '{"a":"x"}'],
          ["0", '["$1:a:length"]'],
        ],
      ],
      [
        "a Map from a non-list",
        [
          ["1", '{"a":1}'],
          ["0", '["$Q1"]'],
        ],
      ],
      [
        "a Map from non-entries",
        [
          ["1", "[1,2]"],
          ["0", '["$Q1"]'],
        ],
      ],
      [
        "two Sets from one list",
        [
          ["1", "[1,2]"],
          ["0", '["$W1","$W1"]'],
        ],
      ],
      ["a bad BigInt", [["0", '["$n12x"]']]],
      ["a stream", [["0", '["$R1"]']]],
      ["a server reference", [["0", '["$h1"]']]],
      [
        "a cycle",
        [
          ["1", '["$1"]'],
          ["0", '["$1"]'],
        ],
      ],
      ["a missing blob", [["0", '["$B1"]']]],
      ["too deep", [["0", "[".repeat(MAX_REPLY_DEPTH + 2) + "]".repeat(MAX_REPLY_DEPTH + 2)]]],
      ["very deep", [["0", "[".repeat(300_000) + "]".repeat(300_000)]]],
    ];
    for (const [what, fields] of cases) expect(replyRefusal(fields), what).toMatch(/^(The|A|Part|Two) .*\.$/);
    expect(argumentsRefusal(text([["0", '{"a":1}']]))).toBe("A server action's arguments are a list.");
    expect(argumentsRefusal(text([["0", "1"]]))).toBe("A server action's arguments are a list.");
  });

  it("checks a form posted without JavaScript by its bound-action record", () => {
    const id = "60".padEnd(42, "a");
    const form = (record: string, ...more: [string, string][]): ReplyEntry[] => [
      ["$ACTION_REF_1", ""],
      ["$ACTION_1:0", record],
      ["$ACTION_KEY", "k0"],
      ["name", "x"],
      ...more,
    ];
    expect(formPostRefusal(form(`{"id":"${id}","bound":null}`))).toBeNull();
    expect(formPostRefusal(form(`{"id":"${id}","bound":"$@1"}`, ["$ACTION_1:1", "[null]"]))).toBeNull();
    expect(formPostRefusal(form(`{"id":"${id}","bound":"$@1"}`))).not.toBeNull();
    expect(formPostRefusal(form(`{"id":"${id}","bound":"$@1"}`, ["$ACTION_1:1", "5"]))).not.toBeNull();
    expect(formPostRefusal(form(`{"id":"${id}"`))).not.toBeNull();
    expect(formPostRefusal(form(`{"bound":null}`))).not.toBeNull();
    // Plain forms (no bound action) are Next's to judge.
    expect(formPostRefusal(text([["name", "x"]]))).toBeNull();
  });
});

// Soundness against React itself: whatever replyRefusal lets through, React's own
// decodeReply (the build Next serves actions with) decodes, promises inside included. It
// may refuse more (kinds of value this site never sends), never less.
const TOKENS = [
  "$K1",
  "$@1",
  "$@2",
  "$@9",
  "$1",
  "$2",
  "$1:a",
  "$2:0",
  "$Q2",
  "$W1",
  "$i2",
  "$n5",
  "$nx",
  "$D2026",
  "$undefined",
  "$$x",
  "$T",
  "$B1",
  "$h1",
  "$R1",
  "$",
  "$z",
  "$F",
  "$a",
  "$-0",
  "plain",
];
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...TOKENS),
    fc.integer(),
    fc.constant(null),
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("a", "b", "0"), tie("v"), { maxKeys: 2 }),
  ),
})).v;
const part = fc.oneof(
  value.map((v) => JSON.stringify(v)),
  fc.constantFrom("{", "", "[1,2]", '{"a":[1]}'),
);
const body = fc.record({
  root: fc.oneof({ weight: 4, arbitrary: fc.array(value, { maxLength: 3 }).map((v) => JSON.stringify(v)) }, part),
  one: fc.option(part, { nil: undefined }),
  two: fc.option(part, { nil: undefined }),
});

function reactDecodes(bodies: [string, string][][]): boolean[] {
  const decoder = createRequire(import.meta.url).resolve(
    "next/dist/compiled/react-server-dom-turbopack/cjs/react-server-dom-turbopack-server.node.production.js",
  );
  const script = `
    const { decodeReply } = require(${JSON.stringify(decoder)});
    const settle = async (v, seen = new Set()) => {
      if (v && typeof v === "object" && !seen.has(v)) {
        seen.add(v);
        if (typeof v.then === "function") return settle(await v, seen);
        for (const x of Object.values(v)) await settle(x, seen);
      }
    };
    (async () => {
      const out = [];
      for (const fields of JSON.parse(require("node:fs").readFileSync(0, "utf8"))) {
        const form = new FormData();
        for (const [k, v] of fields) form.append(k, v);
        try { await settle(await decodeReply(form, {}, { temporaryReferences: new WeakMap() })); out.push(true); } catch { out.push(false); }
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  const run = spawnSync(process.execPath, ["--conditions=react-server", "-e", script], {
    input: JSON.stringify(bodies),
    encoding: "utf8",
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`React's decoder did not run: ${run.stderr}`);
  return JSON.parse(run.stdout) as boolean[];
}

describe("replyRefusal against React's decodeReply", () => {
  it("lets through only what React decodes", () => {
    const samples = fc
      .sample(body, { seed: Number(process.env.REPLY_SEED ?? 20_261_208), numRuns: 1_500 })
      .map(({ root, one, two }) => {
        const fields: [string, string][] = [["_1_name", "x"]];
        if (one !== undefined) fields.push(["1", one]);
        if (two !== undefined) fields.push(["2", two]);
        fields.push(["0", root]);
        return fields;
      });
    const decoded = reactDecodes(samples);
    const accepted = samples.map((fields) => replyRefusal(fields) === null);
    const unsound = samples.filter((_, i) => accepted[i] && !decoded[i]);
    expect(unsound.slice(0, 5).map((f) => JSON.stringify(f.slice(1)))).toEqual([]);
    // The sample exercises both sides: many bodies React refuses, many it takes.
    expect(decoded.filter((d) => !d).length).toBeGreaterThan(200);
    expect(accepted.filter(Boolean).length).toBeGreaterThan(200);
  });
});
