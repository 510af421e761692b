import { policiesExportResponse } from "@/lib/exports/api";
import { CORS } from "@/lib/exports/stream";
import { policiesQuery } from "@/lib/exports/schema";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The voting policy documents (canonical JSON, by hash) used by the chosen datapoints' decisions. */
export const GET = route({
  query: policiesQuery,
  refusalHeaders: CORS,
  handle: ({ query }) => policiesExportResponse(query),
});
