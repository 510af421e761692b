import { policiesExportResponse } from "@/lib/exports/api";

export const dynamic = "force-dynamic";

/** The voting policy documents (canonical JSON, by hash) used by the chosen datapoints' decisions. */
export function GET(request: Request) {
  return policiesExportResponse(new URL(request.url));
}
