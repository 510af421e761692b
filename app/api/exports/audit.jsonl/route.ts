import { auditExportResponse } from "@/lib/exports/api";

export const dynamic = "force-dynamic";

/** The audit trail, byte-exact bodies with seq and hashes; resumable by ?fromSeq=&toSeq=. */
export function GET(request: Request) {
  return auditExportResponse(new URL(request.url));
}
