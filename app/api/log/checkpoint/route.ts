import { checkpointResponse } from "@/lib/checkpoints/api";

export const dynamic = "force-dynamic";

/** The latest signed checkpoint, or the one of ?treeSize=N. */
export function GET(request: Request) {
  return checkpointResponse(new URL(request.url).searchParams);
}
