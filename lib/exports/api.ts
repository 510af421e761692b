// The downloads behind app/api/exports/…: one function per route, given its query parsed by
// the route frame with ./schema, refusing with RFC 9457 problems before the first byte, then
// streaming. Each runs in
// a readLogAt scope: one source for all its reads, the read replica only if it holds the
// position the request names (a cut, a cursor's cut, a tree size).
import { ConfigError } from "@/lib/env";
import type { z } from "zod";
import { decodeCursor, encodeCursor, type ExportCursor } from "./cursor";
import { batchExists, logSize, readLogAt, type Selection } from "./data";
import {
  FAMILY,
  auditFile,
  checkpointsFile,
  keyFile,
  limitEnd,
  policiesFile,
  policiesMap,
  tableFile,
  type TableFileName,
} from "./files";
import { checkpointPublicKey } from "./key";
import { planRelease } from "./manifest";
import { cachedManifest } from "./manifest-cache";
import {
  auditQuery,
  checkpointsQuery,
  datasetQuery,
  decisionsQuery,
  filtersOf,
  manifestQuery,
  policiesQuery,
} from "./schema";
import { CORS, fileResponse, refuse } from "./stream";

/** GET /api/exports/audit.jsonl[?fromSeq=A][&toSeq=B]: events A…B (default: all), resumable by seq. */
export async function auditExportResponse({ fromSeq, toSeq }: z.output<typeof auditQuery>): Promise<Response> {
  const named = toSeq ?? fromSeq;
  return readLogAt({ seq: named === undefined ? undefined : BigInt(named) }, async () => {
    const head = await logSize();
    const from = BigInt(fromSeq ?? 1);
    const to = toSeq === undefined || BigInt(toSeq) > head ? head : BigInt(toSeq);
    if (fromSeq !== undefined && from > head)
      return refuse(404, `There is no event ${from} yet: the log has ${head} events.`);
    return fileResponse("audit.jsonl", auditFile(from, to), { "X-From-Seq": String(from), "X-To-Seq": String(to) });
  });
}

/** GET /api/exports/checkpoints.jsonl[?fromTreeSize=A][&toTreeSize=B] */
export async function checkpointsExportResponse({
  fromTreeSize,
  toTreeSize,
}: z.output<typeof checkpointsQuery>): Promise<Response> {
  return readLogAt({ treeSize: toTreeSize === undefined ? undefined : BigInt(toTreeSize) }, async () =>
    fileResponse(
      "checkpoints.jsonl",
      checkpointsFile(BigInt(fromTreeSize ?? 1), BigInt(toTreeSize ?? Number.MAX_SAFE_INTEGER)),
    ),
  );
}

type Chosen = { selection: Selection; cursor: ExportCursor | null };

/** The cut a request names (its cursor's, or asOfSeq), if any: what the read replica must hold to serve it. */
function namedCut(query: { asOfSeq?: number; cursor?: string }, name: TableFileName | null): { seq?: bigint } {
  const cursor = query.cursor !== undefined && name ? decodeCursor(query.cursor, FAMILY[name]) : null;
  return { seq: cursor?.cut ?? (query.asOfSeq === undefined ? undefined : BigInt(query.asOfSeq)) };
}

/** The cut (from the cursor, asOfSeq or the log's head) and filters, or a problem. */
async function choose(
  query: Parameters<typeof filtersOf>[0] & { asOfSeq?: number; cursor?: string },
  name: TableFileName | null,
): Promise<Chosen | Response> {
  let cursor: ExportCursor | null = null;
  if (query.cursor !== undefined) {
    cursor = name ? decodeCursor(query.cursor, FAMILY[name]) : null;
    if (!cursor)
      return refuse(
        400,
        "This cursor was not given out by this download; start again without it, or pass the X-Next-Cursor you received.",
      );
    if (query.asOfSeq !== undefined && BigInt(query.asOfSeq) !== cursor.cut) {
      return refuse(
        400,
        "asOfSeq differs from the cursor's: a cursor continues the download it came from, so leave asOfSeq out.",
      );
    }
  }
  const head = await logSize();
  const cut = cursor?.cut ?? (query.asOfSeq !== undefined ? BigInt(query.asOfSeq) : head);
  if (cut > head) return refuse(400, `asOfSeq ${cut} is past the end of the log, which has ${head} events.`);
  const filters = filtersOf(query);
  if (filters.batch && !(await batchExists(filters.batch)))
    return refuse(404, `No batch has the slug "${filters.batch}".`);
  return { selection: { filters, cut }, cursor };
}

/**
 * GET /api/exports/{dataset.jsonl, dataset.preference.jsonl, dataset.csv, dataset.parquet,
 * decisions.jsonl, votes.jsonl}: filters, asOfSeq, and cursor/limit. With a limit that leaves
 * rows behind, X-Next-Cursor (and a Link rel="next") say where to resume.
 */
export async function tableExportResponse(name: TableFileName, query: TableQuery, url: URL): Promise<Response> {
  return readLogAt(namedCut(query, name), async () => {
    const chosen = await choose(query, name);
    if (chosen instanceof Response) return chosen;
    const { selection, cursor } = chosen;
    const decisionStatus = query.decisionStatus ?? "any";
    const after = cursor?.key;
    const until = query.limit ? await limitEnd(name, selection, decisionStatus, after, query.limit) : null;
    const headers: Record<string, string> = { "X-As-Of-Seq": String(selection.cut) };
    if (until) {
      const next = encodeCursor({ family: FAMILY[name], cut: selection.cut, key: until });
      const nextUrl = new URL(url);
      nextUrl.searchParams.delete("asOfSeq");
      nextUrl.searchParams.set("cursor", next);
      headers["X-Next-Cursor"] = next;
      headers.Link = `<${nextUrl.pathname}${nextUrl.search}>; rel="next"`;
    }
    return fileResponse(
      name,
      tableFile(name, selection, { after, until: until ?? undefined }, decisionStatus),
      headers,
    );
  });
}

/** A dataset query is a decisions query without decisionStatus, so one type covers both. */
export type TableQuery = z.output<typeof datasetQuery> &
  Partial<Pick<z.output<typeof decisionsQuery>, "decisionStatus">>;

/** The schema of a table file's query. */
export const tableQuery = (name: TableFileName) => (name === "decisions.jsonl" ? decisionsQuery : datasetQuery);

/** GET /api/exports/policies.json: the policies of the chosen datapoints' decisions, by hash. */
export async function policiesExportResponse(query: z.output<typeof policiesQuery>): Promise<Response> {
  return readLogAt(namedCut(query, null), async () => {
    const chosen = await choose(query, null);
    if (chosen instanceof Response) return chosen;
    return fileResponse("policies.json", policiesFile(await policiesMap(chosen.selection)), {
      "X-As-Of-Seq": String(chosen.selection.cut),
    });
  });
}

/** GET /api/exports/checkpoint-key.pem: the public key that signs checkpoints (SPKI PEM). */
export function checkpointKeyExportResponse(): Response {
  try {
    const key = checkpointPublicKey();
    if (!key) return refuse(503, "Checkpoint signing has no key yet; it is created when the server first starts.");
    return fileResponse("checkpoint-key.pem", keyFile(key.publicKeyPem));
  } catch (error) {
    if (error instanceof ConfigError) return refuse(503, `Checkpoint signing is not configured: ${error.message}`);
    throw error;
  }
}

/**
 * GET /api/exports/manifest[?filters][&treeSize=N]: the release of the filters at the latest
 * (or the given) signed checkpoint. Every file is produced and hashed to answer, as slow as
 * downloading the whole release once; so each process builds one manifest per filters, cut
 * and key once (manifest-cache.ts).
 */
export async function manifestResponse(query: z.output<typeof manifestQuery>): Promise<Response> {
  const { treeSize } = query;
  // The checkpoint and every row of the release from one source: the replica only if it has that checkpoint.
  const manifest = await readLogAt({ treeSize: treeSize === undefined ? undefined : BigInt(treeSize) }, async () => {
    const planned = await planRelease(filtersOf(query), treeSize);
    return planned.ok ? cachedManifest(planned.plan) : planned;
  });
  if ("ok" in manifest) return refuse(404, manifest.message);
  // At a given tree size the manifest is fixed; the latest one changes with the next checkpoint.
  const maxAge = treeSize === undefined ? 30 : 3600;
  return Response.json(manifest, { headers: { "Cache-Control": `public, max-age=${maxAge}`, ...CORS } });
}
