import { createHash, randomUUID } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fromHex, sha256Hex, toHex } from "@/lib/audit/hash";
import { subtreeRoot } from "@/lib/audit/merkle";
import { verifyCheckpoint } from "@/lib/checkpoints/format";
import { parseVerifierKey } from "@/lib/checkpoints/note";
import { publishedKey } from "@/lib/checkpoints/signer";
import { db } from "@/lib/db";
import { makeBatch, makeUser } from "@/lib/testing/fixtures";
import { castVote } from "@/lib/votes/mutations";
import { decidedBatch, signWithTestCheckpointKey, temporaryDir, url } from "./fixtures";
import type { TableFileName } from "./files";
import type { FileEntry } from "./manifest";
import { writeRelease } from "./release";
import { filtersOf } from "./schema";
import { flushAuditQueue } from "@/lib/audit/mutations";
import { exportRoutes } from "@/lib/testing/routes";

const {
  audit: auditExportResponse,
  checkpointKey: checkpointKeyExportResponse,
  checkpoints: checkpointsExportResponse,
  manifest: manifestResponse,
  policies: policiesExportResponse,
  table: tableExportResponse,
} = exportRoutes;

signWithTestCheckpointKey("plenary.release-test/log");

const releases = temporaryDir("plenary-release-");
let made = 0;
const newDir = () => path.join(releases, `release-${++made}`);
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const lines = (text: string) => text.trimEnd().split("\n").filter(Boolean);

/** The same file fetched through its REST path, as the manifest names it. */
function download(entry: FileEntry): Promise<Response> | Response {
  const at = url(entry.path);
  if (entry.name === "audit.jsonl") return auditExportResponse(at);
  if (entry.name === "checkpoints.jsonl") return checkpointsExportResponse(at);
  if (entry.name === "policies.json") return policiesExportResponse(at);
  if (entry.name === "checkpoint-key.pem") return checkpointKeyExportResponse();
  return tableExportResponse(entry.name as TableFileName, at);
}

let b1: Awaited<ReturnType<typeof decidedBatch>>;
let b2: Awaited<ReturnType<typeof decidedBatch>>;

// Runs first, on the file's empty database (hooks of the suite below run only when it starts).
describe("a release of an empty log", () => {
  it("needs a signed checkpoint", async () => {
    expect(await writeRelease(newDir(), filtersOf({}))).toMatchObject({ ok: false, reason: "NO_CHECKPOINT" });
    const response = await manifestResponse(url("/api/exports/manifest"));
    expect([response.status, (await response.json()).detail]).toEqual([
      404,
      expect.stringMatching(/No checkpoint has been signed yet/),
    ]);
  });
});

describe("releases", () => {
  beforeAll(async () => {
    b1 = await decidedBatch({ pairwise: ["A", "A", "A", "A", "B"], rating: ["4", "4", "4", "5", "4"] });
    b2 = await decidedBatch({ pairwise: { override: "TIE", votes: ["A", "A", "A", "B", "B"] } });
    // Events after the last checkpoint: a release must stop before them.
    const open = await makeBatch();
    await castVote(
      { datapointId: open.pairwise, option: "B", rationale: null, idempotencyKey: randomUUID() },
      (await makeUser()).id,
    );
    await flushAuditQueue(); // the vote's event is sequenced in the background: settle the log
  }, 120_000);

  it("write every file and a manifest whose hashes, sizes and row counts match the files", async () => {
    const dir = newDir();
    const result = await writeRelease(dir, filtersOf({}));
    if (!result.ok) throw new Error(result.message);
    const { manifest } = result;
    expect(readdirSync(dir).sort()).toEqual([
      "audit.jsonl",
      "checkpoint-key.pem",
      "checkpoints.jsonl",
      "dataset.csv",
      "dataset.jsonl",
      "dataset.parquet",
      "dataset.preference.jsonl",
      "decisions.jsonl",
      "manifest.json",
      "policies.json",
      "votes.jsonl",
    ]);
    expect(JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"))).toEqual(manifest);
    for (const entry of manifest.files) {
      const bytes = readFileSync(path.join(dir, entry.name));
      expect([entry.sha256, entry.bytes], entry.name).toEqual([sha256(bytes), bytes.byteLength]);
      const text = bytes.toString("utf8");
      if (entry.name.endsWith(".jsonl")) expect(entry.rows, entry.name).toBe(lines(text).length);
      if (entry.name === "dataset.csv") expect(entry.rows).toBe(text.split("\r\n").filter(Boolean).length - 1);
    }
    const rows = Object.fromEntries(manifest.files.map((f) => [f.name, f.rows]));
    expect(rows).toMatchObject({
      "dataset.jsonl": 3,
      "dataset.csv": 3,
      "dataset.parquet": 3,
      "dataset.preference.jsonl": 1,
      "decisions.jsonl": 3,
      "votes.jsonl": 15,
      "policies.json": 1,
    });
  });

  it("are cut at the latest signed checkpoint: the audit trail stops at its tree size and hashes to its root", async () => {
    const dir = newDir();
    const result = await writeRelease(dir, filtersOf({}));
    if (!result.ok) throw new Error(result.message);
    const { manifest } = result;
    const head = (await db.auditHead.findUniqueOrThrow({ where: { id: 1 } })).lastSeq;
    const latest = await db.checkpoint.findFirstOrThrow({ orderBy: { treeSize: "desc" } });
    expect(manifest.asOfSeq).toBe(Number(latest.treeSize));
    expect(BigInt(manifest.asOfSeq)).toBeLessThan(head);

    const audit = lines(readFileSync(path.join(dir, "audit.jsonl"), "utf8")).map((l) => JSON.parse(l));
    expect(audit.map((e) => e.seq)).toEqual(Array.from({ length: manifest.asOfSeq }, (_, i) => i + 1));
    expect(toHex(subtreeRoot(audit.map((e) => fromHex(e.leafHash))))).toBe(manifest.checkpoint.rootHash);
    const checkpoints = lines(readFileSync(path.join(dir, "checkpoints.jsonl"), "utf8")).map((l) => JSON.parse(l));
    expect(checkpoints.at(-1)).toMatchObject({ treeSize: manifest.asOfSeq, note: latest.note });

    const pem = readFileSync(path.join(dir, "checkpoint-key.pem"), "utf8");
    expect(pem).toBe(publishedKey().publicKeyPem);
    expect(manifest.checkpoint.signatureVerified).toBe(true);
    expect(verifyCheckpoint(manifest.checkpoint.note, parseVerifierKey(manifest.checkpointKey!.verifierKey)!).ok).toBe(
      true,
    );

    const policies = JSON.parse(readFileSync(path.join(dir, "policies.json"), "utf8")) as Record<
      string,
      { document: string }
    >;
    for (const [hash, policy] of Object.entries(policies)) expect(sha256Hex(policy.document)).toBe(hash);
    const decisions = lines(readFileSync(path.join(dir, "decisions.jsonl"), "utf8")).map((l) => JSON.parse(l));
    for (const decision of decisions) {
      expect(Object.keys(policies)).toContain(decision.policy_hash);
      expect(decision.recorded_seq).toBeLessThanOrEqual(manifest.asOfSeq);
    }
    const votes = lines(readFileSync(path.join(dir, "votes.jsonl"), "utf8")).map((l) => JSON.parse(l));
    for (const vote of votes) expect(vote.audit_seq).toBeLessThanOrEqual(manifest.asOfSeq);
  });

  it("can be fetched file by file through the manifest's paths, byte for byte", async () => {
    const response = await manifestResponse(url("/api/exports/manifest"));
    expect([response.status, response.headers.get("access-control-allow-origin")]).toEqual([200, "*"]);
    const manifest = await response.json();
    const dir = newDir();
    const written = await writeRelease(dir, filtersOf({}));
    if (!written.ok) throw new Error(written.message);
    expect(manifest.files).toEqual(written.manifest.files);
    for (const entry of manifest.files as FileEntry[]) {
      const served = await download(entry);
      expect(served.status, entry.path).toBe(200);
      expect(served.headers.get("content-type"), entry.name).toBe(entry.mediaType);
      expect(sha256(new Uint8Array(await served.arrayBuffer())), entry.path).toBe(entry.sha256);
    }
  });

  it("apply the filters to every table, and refuse a used directory or an unknown checkpoint", async () => {
    const dir = newDir();
    const result = await writeRelease(dir, filtersOf({ batch: b2.slug }));
    if (!result.ok) throw new Error(result.message);
    const dataset = lines(readFileSync(path.join(dir, "dataset.jsonl"), "utf8")).map((l) => JSON.parse(l));
    expect(dataset.map((r) => [r.batch, r.final_label])).toEqual([[b2.slug, "TIE"]]);
    expect(readFileSync(path.join(dir, "dataset.preference.jsonl"), "utf8")).toBe("");
    expect(result.manifest.files.find((f) => f.name === "dataset.preference.jsonl")).toMatchObject({
      rows: 0,
      bytes: 0,
    });
    expect(result.manifest.filters).toEqual({ batch: b2.slug, status: "FINALIZED" });
    expect(result.manifest.files.find((f) => f.name === "dataset.csv")!.path).toBe(
      `/api/exports/dataset.csv?batch=${b2.slug}&asOfSeq=${result.manifest.asOfSeq}`,
    );
    expect(b1.slug).not.toBe(b2.slug);

    expect(await writeRelease(dir, filtersOf({}))).toMatchObject({ ok: false, reason: "DIRECTORY_NOT_EMPTY" });
    expect(await writeRelease(newDir(), filtersOf({}), { treeSize: 3 })).toMatchObject({
      ok: false,
      reason: "UNKNOWN_CHECKPOINT",
    });
    expect(await writeRelease(newDir(), filtersOf({ batch: "no-such-batch" }))).toMatchObject({
      ok: false,
      reason: "UNKNOWN_BATCH",
    });
    const missing = await manifestResponse(url("/api/exports/manifest?treeSize=3"));
    expect([missing.status, missing.headers.get("content-type")]).toEqual([404, "application/problem+json"]);
  });
});
