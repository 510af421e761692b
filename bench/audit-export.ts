// Benchmark of the audit trail download at site scale (seed:large: about 1.37M events at
// --scale full): the code behind GET /api/exports/audit.jsonl (auditExportResponse, the
// route's whole body: pages of events read by binary COPY, one page ahead, and written as
// lines by lib/exports/audit-lines; the backpressured ReadableStream) read to the end and
// written to /dev/null. Baseline, same rows in the same run: PostgreSQL's own COPY (SELECT
// …) TO STDOUT through pg-copy-streams to /dev/null. Also measured: the reference encoding,
// every event read through Prisma (findMany, keyset pages of 5,000) and written as
// JSON.stringify(auditLine(event)), which the download must equal byte for byte (SHA-256
// compared; the run fails if they differ).
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
  events: number;
  lines: number;
  bytes: number;
  seconds: number;
  peakRss: number;
  sha256: string;
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
    while (rssByQuarter.length < 4 && lines >= ((rssByQuarter.length + 1) / 4) * expectedLines)
      rssByQuarter.push(process.memoryUsage.rss());
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  return { bytes, lines, sha256: hash.digest("hex"), rssByQuarter };
}

function liveHeap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

if (args.option("role") === "reference") {
  const { db } = await import("@/lib/db");
  const { auditLine } = await import("@/lib/exports/files");
  const { logSize } = await import("@/lib/checkpoints/data");
  const utf8 = new TextEncoder();
  await logSize(); // a running server: the client has made its first query (see the export role)
  const started = performance.now();
  const { result, peakRss } = await withPeakRss(async () => {
    const head = await logSize();
    async function* encoded() {
      for (let after = 0n; after < head;) {
        const page = await db.auditEvent.findMany({
          where: { seq: { gt: after, lte: head } },
          orderBy: { seq: "asc" },
          take: 5_000,
          select: { seq: true, type: true, body: true, leafHash: true, chainHash: true },
        });
        if (page.length === 0) return;
        yield utf8.encode(page.map((event) => `${JSON.stringify(auditLine(event))}\n`).join(""));
        after = page.at(-1)!.seq;
      }
    }
    return { events: Number(head), ...(await drain(encoded(), Number(head))) };
  });
  report({ ...result, seconds: seconds(started), peakRss, liveHeap: liveHeap() } satisfies Figures);
}

if (args.option("role") === "export") {
  const { exportRoutes } = await import("@/lib/testing/routes");
  const auditExportResponse = exportRoutes.audit;
  const { logSize } = await import("@/lib/checkpoints/data");
  // As in a running server, the Prisma client has made its first query (which loads its query
  // compiler) before the download is asked for; the baseline, too, is timed from a connected
  // client.
  await logSize();
  const started = performance.now();
  const { result, peakRss } = await withPeakRss(async () => {
    const response = await auditExportResponse(new URL("http://localhost/api/exports/audit.jsonl"));
    const events = Number(response.headers.get("X-To-Seq")) - Number(response.headers.get("X-From-Seq")) + 1;
    return { events, ...(await drain(response.body as unknown as AsyncIterable<Uint8Array>, events)) };
  });
  report({ ...result, seconds: seconds(started), peakRss, liveHeap: liveHeap() } satisfies Figures);
}

if (args.option("role") === "copy") {
  const client = new pg.Client(parseDatabaseUrl(process.env.DATABASE_URL!));
  await client.connect();
  const head = Number(
    (await client.query<{ last_seq: string }>("SELECT last_seq FROM audit_head WHERE id = 1")).rows[0]!.last_seq,
  );
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
  const reference = await runChild<Figures>(SCRIPT, "reference", {}, ["--expose-gc"]);
  if (exported.lines !== exported.events || baseline.lines !== baseline.events) {
    throw new Error(
      `row counts disagree: export ${exported.lines} lines for ${exported.events} events, COPY ${baseline.lines} for ${baseline.events}`,
    );
  }
  const line = (name: string, f: Figures) =>
    `${name}: ${f.events.toLocaleString("en")} events, ${mb(f.bytes)} in ${f.seconds.toFixed(2)} s = ${rate(f.events, f.seconds)} events/s ` +
    `(${(f.bytes / 2 ** 20 / f.seconds).toFixed(0)} MB/s), peak RSS ${mb(f.peakRss)}, live heap after GC ${mb(f.liveHeap)}` +
    `, RSS at 25/50/75/100% of the rows ${f.rssByQuarter.map(mb).join(" / ")}`;
  console.log(line("baseline COPY … TO STDOUT (pg-copy-streams)", baseline));
  console.log(line("audit.jsonl export (auditExportResponse)", exported));
  console.log(`ratio to baseline: ${ratio(exported.seconds, baseline.seconds)} the time`);
  const eventsPerSecond = exported.events / exported.seconds;
  console.log(
    `goal ≥ 100,000 events/s: ${verdict(eventsPerSecond >= 100_000)}; goal peak RSS < 256 MB: ${verdict(exported.peakRss < 256 * 2 ** 20)}`,
  );
  console.log(line("reference encoding (findMany + JSON.stringify(auditLine(event)), not the download)", reference));
  console.log(
    `  same bytes as the download: ${reference.sha256 === exported.sha256 ? "yes" : "NO"}; ratio to baseline: ${ratio(reference.seconds, baseline.seconds)} the time`,
  );
  if (reference.sha256 !== exported.sha256) throw new Error("the download differs from the reference encoding");
} finally {
  await database.stop();
}
process.exit(0);
