import { checkpointsExportResponse } from "@/lib/exports/api";
import { CORS } from "@/lib/exports/stream";
import { checkpointsQuery } from "@/lib/exports/schema";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Signed checkpoints, smallest tree first; ?fromTreeSize=&toTreeSize= choose a range. */
export const GET = route({
  query: checkpointsQuery,
  refusalHeaders: CORS,
  handle: ({ query }) => checkpointsExportResponse(query),
});
