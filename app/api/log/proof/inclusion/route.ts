import { inclusionProofResponse } from "@/lib/checkpoints/api";

export const dynamic = "force-dynamic";

/** RFC 9162 inclusion proof of event ?seq=S in the checkpoint of ?treeSize=N (default: latest). */
export function GET(request: Request) {
  return inclusionProofResponse(new URL(request.url).searchParams);
}
