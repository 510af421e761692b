import { checkpointsExportResponse } from "@/lib/exports/api";

export const dynamic = "force-dynamic";

/** Signed checkpoints, smallest tree first; ?fromTreeSize=&toTreeSize= choose a range. */
export function GET(request: Request) {
  return checkpointsExportResponse(new URL(request.url));
}
