import { auditExportResponse } from "@/lib/exports/api";
import { routeHandler } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The audit trail, byte-exact bodies with seq and hashes; resumable by ?fromSeq=&toSeq=. */
export const GET = routeHandler((request: Request) => auditExportResponse(new URL(request.url)));
