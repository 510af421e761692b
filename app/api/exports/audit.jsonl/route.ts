import { auditExportResponse } from "@/lib/exports/api";
import { CORS } from "@/lib/exports/stream";
import { auditQuery } from "@/lib/exports/schema";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The audit trail, byte-exact bodies with seq and hashes; resumable by ?fromSeq=&toSeq=. */
export const GET = route({
  query: auditQuery,
  refusalHeaders: CORS,
  handle: ({ query }) => auditExportResponse(query),
});
