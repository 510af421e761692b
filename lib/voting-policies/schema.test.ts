import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/audit/canonical";
import { sha256Hex } from "@/lib/audit/hash";
import { policyDocumentSchema, SPECIFICATION, type PolicyDocument } from "./schema";

const directory = path.resolve(import.meta.dirname, "../../prisma/seed/policies");
const seeded = readdirSync(directory)
  .filter((file) => file.endsWith(".json"))
  .sort()
  .map((file) => ({
    file,
    document: policyDocumentSchema.parse(JSON.parse(readFileSync(path.join(directory, file), "utf8"))),
  }));

const thresholds = { quorum: { minVotes: 1, minWeight: 0 }, margin: { minShare: 0 } };
const equal = { name: "equal", version: 2, kind: "equal", description: "test", ...thresholds };
const bootstrap = { resamples: 200, level: 0.95 };
const reliability = {
  ...equal,
  kind: "reliability",
  floorWeight: 0.25,
  cap: 3,
  finalLabelTrust: 0.8,
  smoothing: 4,
  tolerance: 1e-6,
  maxIterations: 100,
};
const messages = (value: unknown) =>
  policyDocumentSchema.safeParse(value).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) ?? [];

describe("policy documents and their specification", () => {
  it("ship, per kind, the first version without a specification and the current one naming it", () => {
    const byKind = new Map<string, PolicyDocument[]>();
    for (const { document } of seeded) byKind.set(document.kind, [...(byKind.get(document.kind) ?? []), document]);
    expect([...byKind.keys()].sort()).toEqual(["equal", "reliability", "representative", "trust-tier"]);
    for (const versions of byKind.values()) {
      const [first, current] = versions.sort((a, b) => a.version - b.version);
      expect(first!.specification).toBeUndefined();
      expect(current!.specification).toBe(SPECIFICATION);
      expect(current!.description).toMatch(/plenary-tally\/2/);
      expect(current!.version).toBe(first!.version + 1);
    }
    for (const { document } of seeded) expect(document.description.length).toBeGreaterThan(100);
  });

  it("keep the first versions exactly as published, since recorded decisions reference their hashes", () => {
    const hashes = Object.fromEntries(
      seeded
        .filter(({ file }) => file.endsWith("-v1.json"))
        .map(({ file, document }) => [file, sha256Hex(canonicalJson(document))]),
    );
    expect(hashes).toEqual({
      "equal-v1.json": "dd99c1b4037a01fa58ec3fa5ec970f7391502ab5bd6e3cec4798cd99c7a8237e",
      "reliability-v1.json": "11f9f6482ea13799a1f80528f3027e7c0ca44323f3211e66ac4ede060f980e33",
      "representative-v1.json": "34d2d326693d9ba2c10dddc03d29f6a98cd1ddec0795d176c3444f9b11a38174",
      "trust-tier-v1.json": "0749b7b65fc038c3db64e14a552fc606b49c71a3ba72f60721dfa2f09658df33",
    });
  });

  it("require every plenary-tally/2 field under plenary-tally/2", () => {
    expect(policyDocumentSchema.safeParse({ ...equal, specification: SPECIFICATION, bootstrap }).success).toBe(true);
    expect(messages({ ...equal, specification: SPECIFICATION })).toEqual([
      `bootstrap: bootstrap is required under ${SPECIFICATION}`,
    ]);
    expect(messages({ ...reliability, specification: SPECIFICATION, bootstrap })).toEqual([
      `optionSpace: optionSpace is required under ${SPECIFICATION}`,
      `accuracyBound: accuracyBound is required under ${SPECIFICATION}`,
    ]);
    const full = {
      ...reliability,
      specification: SPECIFICATION,
      bootstrap,
      optionSpace: "offered",
      accuracyBound: 1e-6,
    };
    expect(policyDocumentSchema.safeParse(full).success).toBe(true);
    expect(messages({ ...full, optionSpace: "union" })[0]).toMatch(/^optionSpace/);
  });

  it("refuse plenary-tally/2 fields in a document without a specification", () => {
    expect(policyDocumentSchema.safeParse(reliability).success).toBe(true);
    expect(messages({ ...reliability, accuracyBound: 1e-6 })).toEqual([
      `accuracyBound: accuracyBound needs "specification": "${SPECIFICATION}"`,
    ]);
    expect(messages({ ...equal, bootstrap })).toEqual([
      `bootstrap: bootstrap needs "specification": "${SPECIFICATION}"`,
    ]);
    expect(messages({ ...equal, specification: "plenary-tally/1", bootstrap })[0]).toMatch(/^specification/);
  });

  it("need a whole number of resamples in each tail of the interval", () => {
    const withBootstrap = (value: object) => ({ ...equal, specification: SPECIFICATION, bootstrap: value });
    for (const ok of [
      bootstrap,
      { resamples: 1000, level: 0.99 },
      { resamples: 20, level: 0.9 },
      { resamples: 200, level: 0.5 },
    ]) {
      expect(policyDocumentSchema.safeParse(withBootstrap(ok)).success).toBe(true);
    }
    for (const bad of [
      { resamples: 100, level: 0.95 },
      { resamples: 200, level: 0.999 },
      { resamples: 0, level: 0.5 },
      { resamples: 200, level: 1 },
    ]) {
      expect(policyDocumentSchema.safeParse(withBootstrap(bad)).success).toBe(false);
    }
  });
});
