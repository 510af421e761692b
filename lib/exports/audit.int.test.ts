// audit.jsonl is written from binary COPY pages (lib/exports/data.ts auditJsonlPages, and
// ./audit-lines) and must be byte for byte what JSON.stringify(auditLine(event)) gives for
// every stored event, whatever the text in the bodies, the page size or the range asked for.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { appendEvent } from "@/lib/audit/append";
import { db } from "@/lib/db";
import { auditFile, auditLine } from "./files";
import { countAuditPageReads, textOf, url } from "./fixtures";
import { exportRoutes } from "@/lib/testing/routes";

const auditExportResponse = exportRoutes.audit;

/** Pseudonyms are free text in user.created bodies: every kind of character JSON escapes, and some it must not. */
const AWKWARD = [
  'quote " backslash \\ slash / \\u0041 literally',
  `every control character ${Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)).join("")} and delete \u007f`,
  "é ü ß 中文 😀 line separators \u2028\u2029 BOM \ufeff",
  "a surrogate pair \ud83d\ude00 and a private-use \ue000",
  "",
  "plain-heron-0001",
];
const EVENTS = 24;

let reference: string[];

beforeAll(async () => {
  for (let i = 0; i < EVENTS; i++) {
    await db.$transaction((tx) =>
      appendEvent(tx, {
        type: "user.created",
        actorId: null,
        userId: randomUUID(),
        pseudonym: AWKWARD[i % AWKWARD.length]!,
        verificationTier: 0,
      }),
    );
  }
  const stored = await db.auditEvent.findMany({
    orderBy: { seq: "asc" },
    select: { seq: true, type: true, body: true, leafHash: true, chainHash: true },
  });
  expect(stored.map((event) => event.seq)).toEqual(Array.from({ length: EVENTS }, (_, i) => BigInt(i + 1)));
  reference = stored.map((event) => `${JSON.stringify(auditLine(event))}\n`);
}, 60_000);

async function read(from: number, to: number, pageSize?: number) {
  const file = auditFile(BigInt(from), BigInt(to), pageSize);
  const chunks: Uint8Array[] = [];
  for await (const chunk of file.chunks) chunks.push(chunk);
  return { text: Buffer.concat(chunks).toString("utf8"), chunks: chunks.length, rows: file.rows() };
}

describe("audit.jsonl lines", () => {
  it("are JSON.stringify(auditLine(event)) byte for byte, awkward text included", async () => {
    const response = await auditExportResponse(url("/api/exports/audit.jsonl"));
    expect(await textOf(response)).toBe(reference.join(""));
    for (const line of reference) {
      const parsed = JSON.parse(line) as { body: string };
      expect(AWKWARD).toContain((JSON.parse(parsed.body) as { pseudonym: string }).pseudonym);
    }
  });

  it("are the same for every page size, and each page is one chunk", async () => {
    for (const size of [1, 2, 3, 5, 7, EVENTS - 1, EVENTS, EVENTS + 1, 5_000]) {
      const { text, chunks, rows } = await read(1, EVENTS, size);
      expect({ size, same: text === reference.join(""), rows, chunks }).toEqual({
        size,
        same: true,
        rows: EVENTS,
        chunks: Math.ceil(EVENTS / size),
      });
    }
  });

  it("resume at any seq, across page boundaries: the parts concatenate to the whole", async () => {
    for (let split = 1; split < EVENTS; split++) {
      const first = await read(1, split, 5);
      const rest = await read(split + 1, EVENTS, 5);
      expect({ split, same: first.text + rest.text === reference.join(""), rows: first.rows! + rest.rows! }).toEqual({
        split,
        same: true,
        rows: EVENTS,
      });
    }
    for (const [from, to] of [
      [5, 9],
      [7, 7],
      [EVENTS, EVENTS],
      [3, EVENTS - 2],
    ] as const) {
      expect((await read(from, to, 2)).text).toBe(reference.slice(from - 1, to).join(""));
    }
    expect(await read(9, 8, 2)).toEqual({ text: "", chunks: 0, rows: 0 });
  });
});

describe("audit.jsonl paging", () => {
  it("reads at most one page ahead of what the consumer took, and no page after the last", async () => {
    const reads = countAuditPageReads();
    try {
      const iterator = auditFile(1n, BigInt(EVENTS), 4).chunks[Symbol.asyncIterator]();
      let taken = 0;
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 20)); // every chance to read further ahead
        expect(reads.count()).toBeLessThanOrEqual(taken + 1);
        const next = await iterator.next();
        if (next.done) break;
        taken++;
      }
      expect([taken, reads.count()]).toEqual([EVENTS / 4, EVENTS / 4]);
    } finally {
      reads.restore();
    }
  });

  it("gives its connections back when downloads stop early", async () => {
    // Ten abandoned downloads, each with a page read ahead, must leave the pool's connections
    // (PLENARY_DB_POOL, 5 in tests) free for the next.
    for (let i = 0; i < 10; i++) {
      const reader = (await auditExportResponse(url("/api/exports/audit.jsonl"))).body!.getReader();
      await reader.read();
      await reader.cancel();
    }
    const whole = await Promise.race([
      textOf(await auditExportResponse(url("/api/exports/audit.jsonl"))),
      new Promise((resolve) =>
        setTimeout(() => resolve("timed out: the pool's connections were not returned"), 10_000),
      ),
    ]);
    expect(whole).toBe(reference.join(""));
  });
});
