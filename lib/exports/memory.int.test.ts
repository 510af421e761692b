// Constant memory, measured two ways on 20,000 audit events:
//  1. structurally: the HTTP body pulls pages from the database only as the client reads
//     (counted page reads never run more than two pages ahead of the reader: one waiting in
//     the stream's queue, one read ahead by auditJsonlPages);
//  2. by heap: the live heap while streaming (after a forced GC at every chunk; Buffers'
//     memory outside the heap included, as the pages are Buffers) stays a small fraction of
//     the heap needed to hold the same events read in one query.
// Heap figures depend on V8 and are noisy, hence the wide margin; the query count is exact.
import v8 from "node:v8";
import vm from "node:vm";
import { beforeAll, describe, expect, it } from "vitest";
import { appendEvent } from "@/lib/audit/append";
import { db } from "@/lib/db";
import { PAGE_ROWS } from "./data";
import { auditFile, auditLine } from "./files";
import { countAuditPageReads, url } from "./fixtures";
import { byteStream } from "./stream";
import { exportRoutes } from "@/lib/testing/routes";

const auditExportResponse = exportRoutes.audit;

const EVENTS = 20_000;

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const liveHeap = () => {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

beforeAll(async () => {
  for (let done = 0; done < EVENTS; done += 1_000) {
    await db.$transaction(
      async (tx) => {
        for (let i = done; i < done + 1_000; i++) {
          await appendEvent(tx, {
            type: "user.created",
            actorId: null,
            userId: crypto.randomUUID(),
            pseudonym: `quiet-heron-${i}`,
            verificationTier: 0,
          });
        }
      },
      { timeout: 120_000 },
    );
  }
}, 300_000);

describe("streaming 20,000 audit events", () => {
  it("reads one page from the database per page the client takes", async () => {
    const pageReads = countAuditPageReads();
    const reader = (await auditExportResponse(url("/api/exports/audit.jsonl"))).body!.getReader();
    let chunks = 0;
    let lines = 0;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 10)); // give the stream every chance to read ahead
      expect(pageReads.count()).toBeLessThanOrEqual(chunks + 2);
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      lines += new TextDecoder().decode(value).split("\n").length - 1;
    }
    expect(lines).toBe(EVENTS);
    expect(pageReads.count()).toBe(Math.ceil(EVENTS / PAGE_ROWS.audit));
    pageReads.restore();
  });

  it("keeps the live heap far below what holding every event takes", async () => {
    const base = liveHeap();
    let peak = 0;
    let bytes = 0;
    const reader = byteStream(auditFile(1n, BigInt(EVENTS), 1_000).chunks).getReader();
    for (let chunk = 0; ; chunk++) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (chunk % 2 === 0) peak = Math.max(peak, liveHeap() - base);
    }

    const before = liveHeap();
    const all = await db.auditEvent.findMany({
      orderBy: { seq: "asc" },
      select: { seq: true, type: true, body: true, leafHash: true, chainHash: true },
    });
    const text = all.map((event) => JSON.stringify(auditLine(event))).join("\n");
    const held = liveHeap() - before;
    expect(all.length + text.length).toBeGreaterThan(0); // keep both alive until measured

    console.info(
      `export memory: streamed ${(bytes / 1e6).toFixed(1)} MB in pages of 1,000 with a peak live heap of +${(peak / 1e6).toFixed(1)} MB; holding all events took +${(held / 1e6).toFixed(1)} MB`,
    );
    expect(peak).toBeLessThan(held / 3);
  });
});
