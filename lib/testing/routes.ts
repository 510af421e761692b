// Calling a route handler of app/api as Next would, through its route frame (lib/http/route.ts),
// for integration tests and benchmarks that exercise the public API without a server.
import { NextRequest } from "next/server";
import { GET as auditJsonl } from "@/app/api/exports/audit.jsonl/route";
import { GET as checkpointKeyPem } from "@/app/api/exports/checkpoint-key.pem/route";
import { GET as checkpointsJsonl } from "@/app/api/exports/checkpoints.jsonl/route";
import { GET as datasetCsv } from "@/app/api/exports/dataset.csv/route";
import { GET as datasetJsonl } from "@/app/api/exports/dataset.jsonl/route";
import { GET as datasetParquet } from "@/app/api/exports/dataset.parquet/route";
import { GET as datasetPreferenceJsonl } from "@/app/api/exports/dataset.preference.jsonl/route";
import { GET as decisionsJsonl } from "@/app/api/exports/decisions.jsonl/route";
import { GET as manifest } from "@/app/api/exports/manifest/route";
import { GET as policiesJson } from "@/app/api/exports/policies.json/route";
import { GET as votesJsonl } from "@/app/api/exports/votes.jsonl/route";
import type { TableFileName } from "@/lib/exports/files";

export type RouteHandler = (
  request: NextRequest,
  context: { params: Promise<Record<string, string | string[] | undefined>> },
) => Promise<Response>;

/** A GET of `at` (a URL, or a path and query) through `handler`, with the path's params. */
export function callRoute(
  handler: RouteHandler,
  at: URL | string,
  params: Record<string, string | string[]> = {},
  init?: RequestInit,
): Promise<Response> {
  const url = typeof at === "string" ? new URL(at, "http://plenary.test") : at;
  return handler(new NextRequest(url, init as ConstructorParameters<typeof NextRequest>[1]), {
    params: Promise.resolve(params),
  });
}

const TABLE_ROUTES: Record<TableFileName, RouteHandler> = {
  "dataset.csv": datasetCsv,
  "dataset.jsonl": datasetJsonl,
  "dataset.parquet": datasetParquet,
  "dataset.preference.jsonl": datasetPreferenceJsonl,
  "decisions.jsonl": decisionsJsonl,
  "votes.jsonl": votesJsonl,
};

/** The downloads' routes, as the exports tests call them (each takes the request's URL). */
export const exportRoutes = {
  audit: (at: URL | string) => callRoute(auditJsonl, at),
  checkpoints: (at: URL | string) => callRoute(checkpointsJsonl, at),
  policies: (at: URL | string) => callRoute(policiesJson, at),
  checkpointKey: () => callRoute(checkpointKeyPem, "/api/exports/checkpoint-key.pem"),
  manifest: (at: URL | string) => callRoute(manifest, at),
  table: (name: TableFileName, at: URL | string) => callRoute(TABLE_ROUTES[name], at),
};
