// Benchmark of the audit trail download at site scale (seed:large: about 1.37M events at
// --scale full): the code behind GET /api/exports/audit.jsonl (auditExportResponse, the
// route's whole body: keyset pages through Prisma, JSONL encoding, the backpressured
// ReadableStream) read to the end and written to /dev/null. Baseline, same rows in the same
// run: PostgreSQL's own COPY (SELECT …) TO STDOUT through pg-copy-streams to /dev/null.
// Also measured, clearly marked as not shipped: the auditPages change proposed in
// BENCHMARKS.md (bench/support/audit-candidate.ts), checked to give the same bytes.
// Each measurement runs in a process of its own so its peak RSS is its own. Run with
//   npx tsx bench/audit-export.ts [--scale small|full] [--fresh]     (npm run bench:export)
// Targets: ≥ 100,000 events/s and peak RSS < 256 MB.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { createHash } from "node:crypto";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { parseDatabaseUrl } from "@/lib/database/connection";
import { report, runChild } from "./support/child";
import { benchArgs, benchDatabase } from "./support/database";
import { machineLine, mb, rate, ratio, seconds, verdict, withPeakRss } from "./support/measure";

type Figures = {
  events: number; lines: number; bytes: number; seconds: number; peakRss: number; sha256: string;
  /** RSS after a quarter, half, three quarters and all of the bytes: flat means constant memory. */
  rssByQuarter: number[];
  /** Heap still in use after a full collection at the end: what the export really keeps. */
  liveHeap: number;
};

const args = benchArgs({ role: undefined });
const SCRIPT = "bench/audit-export.ts";

/** Reads a download to /dev/null, counting lines, hashing, and sampling RSS by progress. */
async function drain(chunks: AsyncIterable<Uint8Array>, expectedLines: number) {
  const out = createWriteStream("/dev/null");
  const hash = createHash("sha256");
  const rssByQuarter: number[] = [];
  let bytes = 0;
  let lines = 0;
  for await (const chunk of chunks) {
    bytes += chunk.byteLength;
    lines += newlines(chunk);
    hash.update(chunk);
    while (rssByQuarter.length < 4 && lines >= ((rssByQuarter.length + 1) / 4) * expectedLines) rssByQuarter.push(process.memoryUsage.rss());
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  return { bytes, lines, sha256: hash.digest("hex"), rssByQuarter };
}

function liveHeap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

if (args.option("role") === "export" || args.option("role") === "candidate") {
  const { auditExportResponse } = await import("@/lib/exports/api");
  const { auditFileCandidate } = await import("./support/audit-candidate");
  const { byteStream } = await import("@/lib/exports/stream");
  const { logSize } = await import("@/lib/checkpoints/data");
  const started = performance.now();
  const { result, peakRss } = await withPeakRss(async () => {
    if (args.option("role") === "candidate") {
      const head = await logSize();
      const drained = await drain(byteStream(auditFileCandidate(1n, head).chunks) as unknown as AsyncIterable<Uint8Array>, Number(head));
      return { events: Number(head), ...drained };
    }
    const response = await auditExportResponse(new URL("http://localhost/api/exports/audit.jsonl"));
    const events = Number(response.headers.get("X-To-Seq")) - Number(response.headers.get("X-From-Seq")) + 1;
    return { events, ...(await drain(response.body as unknown as AsyncIterable<Uint8Array>, events)) };
  });
  report({ ...result, seconds: seconds(started), peakRss, liveHeap: liveHeap() } satisfies Figures);
}

if (args.option("role") === "copy") {
  const client = new pg.Client(parseDatabaseUrl(process.env.DATABASE_URL!));
  await client.connect();
  const head = Number((await client.query<{ last_seq: string }>("SELECT last_seq FROM audit_head WHERE id = 1")).rows[0]!.last_seq);
  const started = performance.now();
  const { result, peakRss } = await withPeakRss(async () => {
    const sql = `COPY (SELECT seq, type, body, leaf_hash, chain_hash FROM audit_events WHERE seq BETWEEN 1 AND ${head} ORDER BY seq) TO STDOUT`;
    const copied = client.query(copyTo(sql));
    return { events: head, ...(await drain(copied as AsyncIterable<Buffer>, head)) };
  });
  await client.end();
  report({ ...result, seconds: seconds(started), peakRss, liveHeap: liveHeap() } satisfies Figures);
}

function newlines(chunk: Uint8Array): number {
  let count = 0;
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) count++;
  return count;
}

console.log(machineLine());
const database = await benchDatabase(args.scale, args.fresh);
console.log(`scale: ${database.scale}`);
try {
  // Warm PostgreSQL's and the OS's caches once, so neither measurement pays for the first read.
  await runChild<Figures>(SCRIPT, "copy", {}, ["--expose-gc"]);
  const baseline = await runChild<Figures>(SCRIPT, "copy", {}, ["--expose-gc"]);
  const exported = await runChild<Figures>(SCRIPT, "export", {}, ["--expose-gc"]);
  const candidate = await runChild<Figures>(SCRIPT, "candidate", {}, ["--expose-gc"]);
  if (exported.lines !== exported.events || baseline.lines !== baseline.events) {
    throw new Error(`row counts disagree: export ${exported.lines} lines for ${exported.events} events, COPY ${baseline.lines} for ${baseline.events}`);
  }
  const line = (name: string, f: Figures) =>
    `${name}: ${f.events.toLocaleString("en")} events, ${mb(f.bytes)} in ${f.seconds.toFixed(2)} s = ${rate(f.events, f.seconds)} events/s ` +
    `(${(f.bytes / 2 ** 20 / f.seconds).toFixed(0)} MB/s), peak RSS ${mb(f.peakRss)}, live heap after GC ${mb(f.liveHeap)}` +
    `, RSS at 25/50/75/100% of the rows ${f.rssByQuarter.map(mb).join(" / ")}`;
  console.log(line("baseline COPY … TO STDOUT (pg-copy-streams)", baseline));
  console.log(line("audit.jsonl export (auditExportResponse)", exported));
  console.log(`ratio to baseline: ${ratio(exported.seconds, baseline.seconds)} the time`);
  const eventsPerSecond = exported.events / exported.seconds;
  console.log(`goal ≥ 100,000 events/s: ${verdict(eventsPerSecond >= 100_000)}; goal peak RSS < 256 MB: ${verdict(exported.peakRss < 256 * 2 ** 20)}`);
  console.log(line("proposed auditPages (bench/support/audit-candidate.ts, not shipped)", candidate));
  console.log(`  same bytes as the export: ${candidate.sha256 === exported.sha256 ? "yes" : "NO"}; ratio to baseline: ${ratio(candidate.seconds, baseline.seconds)} the time`);
} finally {
  await database.stop();
}
process.exit(0);
