// The offline verifier on releases made without a database (fixtures.ts): in one thread and
// in worker threads, against a plain line-by-line verifier, clean and tampered.
import { spawnSync } from "node:child_process";
import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { fromHex, toHex } from "@/lib/audit/hash";
import { TreeBuilder } from "@/lib/audit/merkle";
import { ChainVerifier } from "@/lib/audit/verify";
import { verifyCheckpoint } from "@/lib/checkpoints/format";
import { noteVerifier } from "@/lib/checkpoints/note";
import { DecisionChecker, releasedDecisionSchema, type Finding } from "./decisions";
import { reliabilityStory, writeSyntheticRelease } from "./fixtures";
import { linesOf, openRelease, textOf, type Release } from "./source";
import { PARALLEL_FROM_BYTES, verifyRelease, type Verification, type VerifyOptions } from "./verify";

const root = mkdtempSync(path.join(tmpdir(), "plenary-verifier-unit-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let clean: string;

beforeAll(async () => {
  clean = await writeSyntheticRelease(reliabilityStory(), path.join(root, "clean"), { checkpointEvery: 7 });
});

/**
 * The verifier as it was written before it was parallel: every line read by node:readline,
 * checked by ChainVerifier.push, and replayed keeping every vote.
 */
async function plainVerify(release: Release): Promise<TrailPart> {
  const findings: Finding[] = [];
  for (const file of release.manifest.files) {
    const hash = createHash("sha256");
    let bytes = 0;
    for await (const chunk of await release.open(file.name)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).byteLength;
    }
    if (hash.digest("hex") !== file.sha256 || bytes !== file.bytes)
      findings.push({
        code: "FILE_MISMATCH",
        file: file.name,
        detail: `${file.name} does not have the SHA-256 and size the release's signed file list records`,
      });
  }
  const key = release.manifest.checkpointKey!;
  const verifier = noteVerifier(key.keyName, createPublicKey(await textOf(release, key.file)));
  const roots: { treeSize: number; rootHash: string; source: string }[] = [];
  for await (const line of linesOf(release, "checkpoints.jsonl")) {
    const read = verifyCheckpoint((JSON.parse(line) as { note: string }).note, verifier);
    if (!read.ok)
      findings.push({
        code: "CHECKPOINT_SIGNATURE",
        file: "checkpoints.jsonl",
        detail: `a checkpoint in ${release.describe} does not verify: ${read.reason}`,
      });
    else
      roots.push({
        treeSize: Number(read.checkpoint.treeSize),
        rootHash: toHex(read.checkpoint.rootHash),
        source: `the checkpoint of size ${read.checkpoint.treeSize}`,
      });
  }
  roots.sort((a, b) => a.treeSize - b.treeSize);
  const records = [];
  for await (const line of linesOf(release, "decisions.jsonl"))
    records.push(releasedDecisionSchema.parse(JSON.parse(line)));
  const everyId =
    (await textOf(release, "audit.jsonl")).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [];
  const decisions = new DecisionChecker(records, everyId);
  const chain = new ChainVerifier();
  const tree = new TreeBuilder();
  const auditLine = z.object({
    seq: z.number().int(),
    type: z.string(),
    body: z.string(),
    leafHash: z.string(),
    chainHash: z.string(),
  });
  let next = 0;
  for await (const line of linesOf(release, "audit.jsonl")) {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      json = undefined;
    }
    const parsed = auditLine.safeParse(json);
    if (
      !parsed.success ||
      !/^[0-9a-f]{64}$/.test(parsed.data.leafHash) ||
      !/^[0-9a-f]{64}$/.test(parsed.data.chainHash)
    ) {
      findings.push({
        code: "MALFORMED_LINE",
        seq: tree.size + 1,
        file: "audit.jsonl",
        detail: `the line after seq ${tree.size} is not an audit record`,
      });
      continue;
    }
    const row = parsed.data;
    const { leaf, event } = chain.push({
      seq: BigInt(row.seq),
      type: row.type,
      body: row.body,
      leafHash: fromHex(row.leafHash),
      chainHash: fromHex(row.chainHash),
    });
    tree.push(leaf);
    if (event) decisions.apply(row.seq, event, leaf);
    while (next < roots.length && roots[next]!.treeSize <= tree.size) {
      const expected = roots[next++]!;
      if (expected.treeSize === tree.size && toHex(tree.root()) !== expected.rootHash) {
        findings.push({
          code: "ROOT_MISMATCH",
          seq: expected.treeSize,
          detail: `the log's first ${expected.treeSize} events do not have the root signed in ${expected.source}`,
        });
      }
    }
  }
  decisions.finish();
  for (const r of roots.slice(next))
    findings.push({
      code: "TRAIL_TOO_SHORT",
      seq: r.treeSize,
      detail: `${r.source} signs ${r.treeSize} events, but the trail holds only ${tree.size}`,
    });
  const total = release.manifest.asOfSeq;
  if (tree.size !== total)
    findings.push({
      code: "TRAIL_LENGTH",
      seq: tree.size,
      detail: `the release is cut at seq ${total}; the trail ends at ${tree.size}`,
    });
  for (const problem of chain.result().problems)
    findings.push({ code: problem.code, seq: Number(problem.seq), detail: problem.detail });
  findings.push(...decisions.findings);
  findings.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  return { findings, events: tree.size, checkpoints: roots.length, decisions: decisions.checked };
}

type TrailPart = Pick<Verification, "findings" | "events" | "checkpoints" | "decisions">;

/** The codes plainVerify reports: the trail's own checks, which the rebuild of the derived files adds to. */
const TRAIL_CODES = new Set([
  "FILE_MISMATCH",
  "CHECKPOINT_SIGNATURE",
  "MALFORMED_LINE",
  "ROOT_MISMATCH",
  "TRAIL_TOO_SHORT",
  "TRAIL_LENGTH",
  "SEQ_GAP",
  "LEAF_HASH_MISMATCH",
  "CHAIN_HASH_MISMATCH",
  "NOT_CANONICAL",
  "INVALID_EVENT",
  "TYPE_MISMATCH",
  "TALLY_MISMATCH",
  "TALLY_NOT_RECOMPUTABLE",
  "LABEL_NOT_TALLY",
  "VOTE_DIGEST_MISMATCH",
  "DECISION_RECORD_MISMATCH",
  "DECISION_BEYOND_LOG",
]);

/** What of a verification plainVerify also computes. */
function trailPart(result: Verification | { error: string }): TrailPart | { error: string } {
  if ("error" in result) return result;
  const { findings, events, checkpoints, decisions } = result;
  return { findings: findings.filter((f) => TRAIL_CODES.has(f.code)), events, checkpoints, decisions };
}

async function outcome<T>(verify: Promise<T>): Promise<T | { error: string }> {
  try {
    return await verify;
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** A copy of `dir` whose audit.jsonl is `edit`ed (the manifest still describes the original). */
function tampered(dir: string, edit: (text: string) => string): string {
  const copy = path.join(root, `tampered-${Math.random().toString(36).slice(2)}`);
  cpSync(dir, copy, { recursive: true });
  const file = path.join(copy, "audit.jsonl");
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  return copy;
}

/** The seq and text of the vote line nearest the middle of the trail, with its option changed. */
function middleVote(dir: string): { seq: number; edit: (text: string) => string } {
  const lines = readFileSync(path.join(dir, "audit.jsonl"), "utf8").split("\n");
  const votes = lines.flatMap((line, i) => (line.includes('"type":"vote.cast"') ? [i] : []));
  const target = votes[Math.floor(votes.length / 2)]!;
  const seq = (JSON.parse(lines[target]!) as { seq: number }).seq;
  return {
    seq,
    edit: (text) => {
      const rows = text.split("\n");
      rows[target] = rows[target]!.replace(
        /\\"option\\":\\"(A|B)\\"/,
        (_m, o: string) => `\\"option\\":\\"${o === "A" ? "B" : "A"}\\"`,
      );
      return rows.join("\n");
    },
  };
}

const inWorkers: VerifyOptions = { workers: 2, chunkBytes: 2_048, waitForWorkers: true };

describe("the offline verifier", () => {
  it("verifies a release in this thread and in worker threads, chunk by chunk", async () => {
    const plain = await plainVerify(await openRelease(clean));
    expect(plain).toMatchObject({ findings: [], decisions: 1 });
    expect(plain.checkpoints).toBeGreaterThan(5);
    const full = await verifyRelease(await openRelease(clean));
    expect(full).toMatchObject({
      findings: [],
      cut: plain.events,
      trust: { origin: "plenary.verifier-test/log", pinned: false },
    });
    expect(trailPart(full)).toEqual(plain);
    expect(await verifyRelease(await openRelease(clean), { workers: 0, chunkBytes: 700 })).toEqual(full);
    expect(await verifyRelease(await openRelease(clean), inWorkers)).toEqual(full);
  }, 60_000);

  it("names a changed byte in the middle of a multi-chunk trail by seq, in worker threads, as the plain verifier does", async () => {
    const { seq, edit } = middleVote(clean);
    const copy = tampered(clean, edit);
    const expected = await plainVerify(await openRelease(copy));
    const found = await verifyRelease(await openRelease(copy), inWorkers);
    expect(trailPart(found)).toEqual(expected);
    expect(found.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(["FILE_MISMATCH", "LEAF_HASH_MISMATCH", "ROOT_MISMATCH"]),
    );
    expect(found.findings.find((f) => f.code === "LEAF_HASH_MISMATCH")?.seq).toBe(seq);
    expect(await verifyRelease(await openRelease(copy), inWorkers)).toEqual(found);
    expect(await verifyRelease(await openRelease(copy), { workers: 0 })).toEqual(found);
  }, 60_000);

  it("finds what the plain verifier finds in randomly tampered trails, whatever the chunk size", async () => {
    const original = readFileSync(path.join(clean, "audit.jsonl"), "utf8").trimEnd().split("\n");
    const line = fc.nat(original.length - 1);
    const edit = fc.oneof(
      fc.tuple(
        fc.constant("byte" as const),
        line,
        fc.nat(600),
        fc.constantFrom("A", "B", "0", '"', "\\", "{", " ", "é", "\r"),
      ),
      fc.tuple(fc.constant("delete" as const), line),
      fc.tuple(fc.constant("duplicate" as const), line, line),
      fc.tuple(fc.constant("swap" as const), line, line),
      fc.tuple(
        fc.constant("insert" as const),
        line,
        fc.constantFrom(
          "not json",
          "{}",
          '{"seq":1,"type":"x","body":"{}","leafHash":"00","chainHash":"00"}',
          "\u00ff",
        ),
      ),
      fc.tuple(fc.constant("spaced" as const), line),
      fc.tuple(fc.constant("crlf" as const)),
    );
    type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;
    const apply = (lines: string[], e: Edit): string[] => {
      const out = [...lines];
      const at = (i: number) => i % Math.max(1, out.length);
      switch (e[0]) {
        case "byte": {
          const text = out[at(e[1])] ?? "";
          const p = e[2] % Math.max(1, text.length);
          out[at(e[1])] = text.slice(0, p) + e[3] + text.slice(p + 1);
          break;
        }
        case "delete":
          out.splice(at(e[1]), 1);
          break;
        case "duplicate":
          out.splice(at(e[2]), 0, out[at(e[1])] ?? "");
          break;
        case "swap": {
          const [i, j] = [at(e[1]), at(e[2])];
          [out[i], out[j]] = [out[j]!, out[i]!];
          break;
        }
        case "insert":
          out.splice(at(e[1]), 0, e[2]);
          break;
        case "spaced": {
          // The same event, not canonical, with a leaf hash that matches the new body.
          // An earlier edit may have left the line no JSON at all: then there is nothing to re-space.
          let row: { body?: string; leafHash?: string } = {};
          try {
            row = JSON.parse(out[at(e[1])] ?? "{}") as typeof row;
          } catch {
            break;
          }
          if (typeof row?.body === "string") {
            row.body = row.body.replace(":", ": ");
            row.leafHash = createHash("sha256")
              .update(Buffer.from([0]))
              .update(row.body)
              .digest("hex");
            out[at(e[1])] = JSON.stringify(row);
          }
          break;
        }
        case "crlf":
          return out.map((l) => `${l}\r`);
      }
      return out;
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 200, max: 20_000 }),
        async (edits, chunkBytes) => {
          const copy = tampered(clean, () => `${edits.reduce(apply, original).join("\n")}\n`);
          try {
            const expected = await outcome(plainVerify(await openRelease(copy)));
            const found = await outcome(verifyRelease(await openRelease(copy), { workers: 0, chunkBytes }));
            expect(trailPart(found)).toEqual(expected);
          } finally {
            rmSync(copy, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it("replays again keeping more votes when a reliability history names datapoints the scan missed", async () => {
    // Each decision.finalized line spelled with a JSON escape: the same records, no marker to scan for.
    const hidden = await writeSyntheticRelease(reliabilityStory(), path.join(root, "hidden"), {
      checkpointEvery: 7,
      line: (record) => JSON.stringify(record).replaceAll("decision.finalized", "decision\\u002efinalized"),
    });
    expect(readFileSync(path.join(hidden, "audit.jsonl"), "utf8")).not.toContain("decision.finalized");
    const plain = await plainVerify(await openRelease(hidden));
    expect(plain).toMatchObject({ findings: [], decisions: 1 });
    const found = await verifyRelease(await openRelease(hidden), { workers: 0, chunkBytes: 1_000 });
    expect(found.findings).toEqual([]);
    expect(trailPart(found)).toEqual(plain);
  }, 60_000);

  it("runs in worker threads from bin/plenary-verify.mjs on a large trail, and names a changed line by seq", async () => {
    const large = await writeSyntheticRelease(
      reliabilityStory({ voters: 400, history: 6, padding: 90_000 }),
      path.join(root, "large"),
      { checkpointEvery: 500 },
    );
    const manifest = JSON.parse(readFileSync(path.join(large, "manifest.json"), "utf8")) as {
      files: { name: string; bytes: number }[];
    };
    expect(manifest.files.find((f) => f.name === "audit.jsonl")!.bytes).toBeGreaterThanOrEqual(PARALLEL_FROM_BYTES);
    const cli = (dir: string) =>
      spawnSync(process.execPath, ["bin/plenary-verify.mjs", dir], { encoding: "utf8", timeout: 120_000 });
    const ok = cli(large);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      /^VERIFIED: .*; \d+ events, cut at the signed checkpoint of size \d+, \d+ signed checkpoints, 1 decisions recomputed, every file rebuilt from the log\.$/m,
    );
    const { seq, edit } = middleVote(large);
    const bad = cli(tampered(large, edit));
    expect(bad.status, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toContain(`seq ${seq}: LEAF_HASH_MISMATCH: `);
    expect(bad.stdout).toMatch(/^NOT VERIFIED: \d+ problems/m);
  }, 120_000);

  it("trusts a new key that the old key handed the log over to, and only such a key", async () => {
    const log = reliabilityStory();
    const [old, next, stranger] = [
      generateKeyPairSync("ed25519").privateKey,
      generateKeyPairSync("ed25519").privateKey,
      generateKeyPairSync("ed25519").privateKey,
    ];
    const half = Math.floor(log.events.length / 2);
    const earlier = await writeSyntheticRelease(log, path.join(root, "rotation-earlier"), {
      checkpointEvery: 7,
      key: old,
      events: half,
    });
    const rotated = await writeSyntheticRelease(log, path.join(root, "rotation-later"), {
      checkpointEvery: 7,
      key: old,
      rotation: { after: 21, next },
    });
    const oldKey = noteVerifier("plenary.verifier-test/log", old);
    const codes = async (dir: string, options: VerifyOptions = {}) =>
      (await verifyRelease(await openRelease(dir), options)).findings.map((f) => f.code);
    expect(await codes(rotated)).toEqual([]);
    // Pinned to the old key, or continuing a release of the old key: the rotation carries the trust over.
    const pinnedOld = await verifyRelease(await openRelease(rotated), { key: oldKey });
    expect(pinnedOld).toMatchObject({
      findings: [],
      trust: { pinned: true, keyId: toHex(noteVerifier("plenary.verifier-test/log", next).keyId) },
    });
    expect(await codes(rotated, { previous: await openRelease(earlier) })).toEqual([]);
    // The same later release re-signed by a key the old one never named: no continuity.
    const resigned = await writeSyntheticRelease(log, path.join(root, "rotation-stranger"), {
      checkpointEvery: 7,
      key: stranger,
    });
    expect(await codes(resigned, { previous: await openRelease(earlier) })).toContain("PREVIOUS_KEY_CHANGED");
    expect(await codes(resigned, { key: oldKey })).toEqual(
      expect.arrayContaining(["SHIPPED_KEY_NOT_PINNED", "CHECKPOINT_SIGNATURE", "RELEASE_SIGNATURE"]),
    );
    // A rotation note that was altered no longer holds.
    const broken = path.join(root, "rotation-broken");
    cpSync(rotated, broken, { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(broken, "manifest.json"), "utf8")) as { keyRotations: string[] };
    manifest.keyRotations = manifest.keyRotations.map((note) => note.replace("\n21\n", "\n28\n"));
    writeFileSync(path.join(broken, "manifest.json"), JSON.stringify(manifest));
    expect(await codes(broken)).toEqual(expect.arrayContaining(["KEY_ROTATION_INVALID", "CHECKPOINT_SIGNATURE"]));
  }, 60_000);
});
