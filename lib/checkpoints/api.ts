// The log API behind app/api/log/… and /.well-known/plenary-checkpoint-key: one function per
// route, parsing the query, answering problems as RFC 9457 application/problem+json.
// Proofs are served against signed checkpoints only: a proof at an unsigned size proves
// nothing to anyone, and fixed sizes make every proof cacheable forever. Each request reads in
// a readLogAt scope: from the read replica only if it holds the tree size or seq named.
import { readEvents } from "@/lib/audit/data";
import { toHex } from "@/lib/audit/hash";
import { ConfigError } from "@/lib/env";
import { checkpointOfSize, latestCheckpoint, logSize, readLeafSpans, readLogAt, type StoredCheckpoint } from "./data";
import type { z } from "zod";
import {
  MAX_ENTRIES,
  type checkpointQuery,
  type consistencyQuery,
  type entriesQuery,
  type inclusionQuery,
} from "./schema";
import { publishedKey } from "./signer";
import { consistencyProofOf, inclusionProofOf, leafCount } from "./tree";

const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";

const TITLES: Record<number, string> = { 400: "Bad Request", 404: "Not Found", 503: "Service Unavailable" };

function problem(status: number, detail: string): Response {
  return Response.json(
    { type: "about:blank", title: TITLES[status], status, detail },
    { status, headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store" } },
  );
}

const ok = (body: unknown, cache: string) => Response.json(body, { headers: { "Cache-Control": cache } });

export function checkpointJson(checkpoint: StoredCheckpoint) {
  return {
    origin: checkpoint.note.slice(0, checkpoint.note.indexOf("\n")),
    treeSize: leafCount(checkpoint.treeSize),
    rootHash: toHex(checkpoint.rootHash),
    timestamp: checkpoint.timestamp.toISOString(),
    keyId: checkpoint.keyId,
    note: checkpoint.note,
  };
}

const NONE_YET = "No checkpoint has been signed yet; proofs are served against signed checkpoints.";

/** The signed checkpoint of tree size `size`, or the latest, or a 404 problem. */
async function signed(size: number | undefined): Promise<StoredCheckpoint | Response> {
  const checkpoint = size === undefined ? await latestCheckpoint() : await checkpointOfSize(BigInt(size));
  if (checkpoint) return checkpoint;
  if (size === undefined) return problem(404, NONE_YET);
  const latest = await latestCheckpoint();
  return problem(
    404,
    `No checkpoint has tree size ${size}; ${latest ? `the latest covers ${latest.treeSize} events` : "none is signed yet"}.`,
  );
}

/** GET /api/log/checkpoint[?treeSize=N] */
export async function checkpointResponse({ treeSize }: z.output<typeof checkpointQuery>): Promise<Response> {
  const checkpoint = await readLogAt(signedSize(treeSize), () => signed(treeSize));
  if (checkpoint instanceof Response) return checkpoint;
  return ok(checkpointJson(checkpoint), treeSize === undefined ? REVALIDATE : IMMUTABLE);
}

/** GET /api/log/proof/inclusion?seq=S[&treeSize=N] */
export async function inclusionProofResponse({ seq, treeSize }: z.output<typeof inclusionQuery>): Promise<Response> {
  return readLogAt(signedSize(treeSize), () => inclusionProof(seq, treeSize));
}

async function inclusionProof(seq: number, treeSize: number | undefined): Promise<Response> {
  const checkpoint = await signed(treeSize);
  if (checkpoint instanceof Response) return checkpoint;
  const size = leafCount(checkpoint.treeSize);
  if (seq > size) {
    return treeSize === undefined
      ? problem(
          404,
          `Event ${seq} is not covered by a checkpoint yet (the latest covers ${size} events); try again shortly.`,
        )
      : problem(400, `seq ${seq} is not inside a tree of size ${size}.`);
  }
  const [[leafHash], proof] = await Promise.all([
    readLeafSpans([{ start: seq - 1, end: seq }]),
    inclusionProofOf(seq - 1, size),
  ]);
  const body = {
    seq,
    leafIndex: seq - 1,
    treeSize: size,
    leafHash: toHex(leafHash![0]!),
    rootHash: toHex(checkpoint.rootHash),
    proof: proof.map(toHex),
  };
  return ok(body, treeSize === undefined ? REVALIDATE : IMMUTABLE);
}

/** GET /api/log/proof/consistency?first=M[&second=N] */
export async function consistencyProofResponse({
  first,
  second,
}: z.output<typeof consistencyQuery>): Promise<Response> {
  return readLogAt(signedSize(second ?? first), () => consistencyProof(first, second));
}

async function consistencyProof(first: number, second: number | undefined): Promise<Response> {
  const newer = await signed(second);
  if (newer instanceof Response) return newer;
  const size = leafCount(newer.treeSize);
  if (first > size) return problem(404, `No checkpoint has tree size ${first}; the latest covers ${size} events.`);
  const older = await signed(first);
  if (older instanceof Response) return older;
  const body = {
    first,
    second: size,
    firstRootHash: toHex(older.rootHash),
    secondRootHash: toHex(newer.rootHash),
    proof: (await consistencyProofOf(first, size)).map(toHex),
  };
  return ok(body, second === undefined ? REVALIDATE : IMMUTABLE);
}

/** GET /api/log/entries?from=A[&to=B]: at most MAX_ENTRIES events, seq A…B inclusive. */
export async function entriesResponse(query: z.output<typeof entriesQuery>): Promise<Response> {
  const { from } = query;
  const to = Math.min(query.to ?? Number.MAX_SAFE_INTEGER, from + MAX_ENTRIES - 1);
  const { size, events } = await readLogAt({ seq: BigInt(query.to === undefined ? from : to) }, async () => {
    const size = leafCount(await logSize());
    return { size, events: from > size ? [] : await readEvents(BigInt(from - 1), Math.min(to, size) - from + 1) };
  });
  if (from > size) return problem(404, `There is no event ${from} yet: the log has ${size} events.`);
  const entries = events.map((e) => ({
    seq: Number(e.seq),
    type: e.type,
    body: e.body,
    leafHash: toHex(e.leafHash),
    chainHash: toHex(e.chainHash),
  }));
  const last = entries.at(-1)?.seq ?? from - 1;
  // Events never change, so a full range is final; a range reaching past the log's end is not.
  return ok({ from, to: last, entries }, last === to ? IMMUTABLE : REVALIDATE);
}

/** What a request for tree size `size` needs of the read replica (nothing when it asks for the latest). */
const signedSize = (size: number | undefined) => ({ treeSize: size === undefined ? undefined : BigInt(size) });

/** GET /.well-known/plenary-checkpoint-key */
export function publishedKeyResponse(): Response {
  try {
    return ok(publishedKey(), "public, max-age=300");
  } catch (error) {
    if (error instanceof ConfigError) return problem(503, `Checkpoint signing is not configured: ${error.message}`);
    throw error;
  }
}
