// The offline verifier on a real release: written by writeRelease from a database built
// through the real services, then checked, then tampered with byte by byte.
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createCheckpoint } from "@/lib/checkpoints/mutations";
import { decidedBatch, signWithTestCheckpointKey, temporaryDir } from "@/lib/exports/fixtures";
import { writeRelease } from "@/lib/exports/release";
import { filtersOf } from "@/lib/exports/schema";
import { openRelease } from "./source";
import { verifyRelease } from "./verify";

signWithTestCheckpointKey("plenary.verifier-test/log");
const root = temporaryDir("plenary-verify-");
let first: string;
let second: string;

async function release(name: string): Promise<string> {
  await createCheckpoint();
  const dir = path.join(root, name);
  const written = await writeRelease(dir, filtersOf({}));
  if (!written.ok) throw new Error(written.message);
  return dir;
}

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/verify.ts", ...args], { encoding: "utf8" });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** A copy of `dir` with `edit` applied to one of its files. */
function tampered(dir: string, file: string, edit: (text: string) => string): string {
  const copy = `${dir}-tampered-${Math.random().toString(36).slice(2)}`;
  cpSync(dir, copy, { recursive: true });
  writeFileSync(path.join(copy, file), edit(readFileSync(path.join(copy, file), "utf8")));
  return copy;
}

beforeAll(async () => {
  await decidedBatch({ pairwise: ["A", "A", "A", "A", "B"], rating: ["4", "4", "5", "4", "4"] });
  first = await release("first");
  await decidedBatch({ pairwise: { override: "TIE", votes: ["A", "A", "A", "B", "B"] } });
  second = await release("second");
}, 180_000);

describe("the offline verifier", () => {
  it("verifies an intact release: files, chain, signed roots, consistency and every decision", async () => {
    const result = await verifyRelease(await openRelease(second), { previous: await openRelease(first) });
    expect(result.findings).toEqual([]);
    expect(
      await verifyRelease(await openRelease(second), {
        previous: await openRelease(first),
        workers: 2,
        chunkBytes: 4_096,
        waitForWorkers: true,
      }),
    ).toEqual(result);
    expect(result.decisions).toBeGreaterThanOrEqual(3);
    expect(result.checkpoints).toBeGreaterThanOrEqual(2);
    const run = cli(second, "--previous", first);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(
      /^VERIFIED: log plenary\.verifier-test\/log, key [0-9a-f]{8}: trusted the key shipped in the release, fingerprint [0-9a-f:]{79}; .*; \d+ events, cut at the signed checkpoint of size \d+, \d+ signed checkpoints, \d+ decisions recomputed, every file rebuilt from the log\.$/m,
    );
  });

  it("names the seq of a changed byte in the trail, with exit code 1", async () => {
    const lines = readFileSync(path.join(second, "audit.jsonl"), "utf8").trimEnd().split("\n");
    const target = lines.findIndex((l) => l.includes('"type":"vote.cast"'));
    const seq = (JSON.parse(lines[target]!) as { seq: number }).seq;
    const copy = tampered(second, "audit.jsonl", (text) => {
      const rows = text.split("\n");
      rows[target] = rows[target]!.replace('\\"option\\":\\"A\\"', '\\"option\\":\\"B\\"');
      return rows.join("\n");
    });
    const result = await verifyRelease(await openRelease(copy));
    expect(result.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(["FILE_MISMATCH", "LEAF_HASH_MISMATCH", "ROOT_MISMATCH"]),
    );
    expect(result.findings.find((f) => f.code === "LEAF_HASH_MISMATCH")?.seq).toBe(seq);
    // The same findings, in the same order, when the trail is checked in worker threads, a few lines a chunk.
    expect(
      await verifyRelease(await openRelease(copy), { workers: 2, chunkBytes: 4_096, waitForWorkers: true }),
    ).toEqual(result);
    const run = cli(copy);
    expect(run.code).toBe(1);
    expect(run.out).toContain(`seq ${seq}: LEAF_HASH_MISMATCH`);
    expect(run.out).toMatch(/^NOT VERIFIED: \d+ problems/m);
  });

  it("catches a decision record whose tally does not follow from the votes", async () => {
    const copy = tampered(second, "decisions.jsonl", (text) =>
      text.replace(/\\"effectiveSampleSize\\":5/, '\\"effectiveSampleSize\\":6'),
    );
    const codes = (await verifyRelease(await openRelease(copy))).findings.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(["FILE_MISMATCH", "TALLY_MISMATCH"]));
  });

  it("detects a release inconsistent with an earlier one", async () => {
    const forked = tampered(first, "checkpoints.jsonl", (text) => text);
    const manifest = JSON.parse(readFileSync(path.join(second, "manifest.json"), "utf8")) as { asOfSeq: number };
    expect(manifest.asOfSeq).toBeGreaterThan(0);
    // The first release's trail, with one body changed, no longer leads to the second's signed roots.
    const result = await verifyRelease(
      await openRelease(
        tampered(second, "audit.jsonl", (t) => t.replace('\\"verificationTier\\":0', '\\"verificationTier\\":1')),
      ),
      {
        previous: await openRelease(forked),
      },
    );
    expect(result.findings.filter((f) => f.code === "ROOT_MISMATCH").length).toBeGreaterThanOrEqual(2);
  });

  it("answers unusable input with exit code 2 and one sentence", () => {
    const missing = cli(path.join(root, "no-such-release"));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^verify: .*holds no manifest\.json/);
    expect(cli().code).toBe(2);
  });
});
