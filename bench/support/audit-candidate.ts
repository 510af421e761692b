// NOT shipped code: the change to lib/exports/data.ts `auditPages` that BENCHMARKS.md
// proposes, kept here so its figures can be reproduced beside the shipped path's. The same
// lines as auditFile (lib/exports/files.ts), byte for byte (the benchmark compares SHA-256s):
//  - hashes are hex-encoded by PostgreSQL (encode(…, 'hex')) and read as text through
//    $queryRaw, instead of bytea read by findMany, which Prisma carries as base64 into a
//    Uint8Array that auditLine then turns into hex again;
//  - the next page's query is sent before the current page is encoded, so PostgreSQL and
//    Node work at the same time (two pages in memory at most: still constant).
import { db } from "@/lib/db";
import { jsonl, type Encoded } from "@/lib/exports/formats";

type Row = { seq: bigint; type: string; body: string; leaf_hash: string; chain_hash: string };

export const CANDIDATE_PAGE_ROWS = 2_000;

async function* auditPagesCandidate(fromSeq: bigint, toSeq: bigint, size: number): AsyncGenerator<Row[]> {
  const page = (after: bigint) => db.$queryRaw<Row[]>`
    SELECT seq, type, body, encode(leaf_hash, 'hex') AS leaf_hash, encode(chain_hash, 'hex') AS chain_hash
      FROM audit_events WHERE seq > ${after} AND seq <= ${toSeq} ORDER BY seq LIMIT ${size}`;
  let next: Promise<Row[]> | null = page(fromSeq - 1n);
  while (next) {
    const rows: Row[] = await next;
    next = rows.length === size ? page(rows.at(-1)!.seq) : null;
    if (rows.length > 0) yield rows;
  }
}

export function auditFileCandidate(fromSeq: bigint, toSeq: bigint, size = CANDIDATE_PAGE_ROWS): Encoded {
  return jsonl(auditPagesCandidate(fromSeq, toSeq, size), (r) => ({ seq: Number(r.seq), type: r.type, body: r.body, leafHash: r.leaf_hash, chainHash: r.chain_hash }));
}
