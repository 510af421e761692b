import { inclusionProofResponse } from "@/lib/checkpoints/api";
import { inclusionQuery } from "@/lib/checkpoints/schema";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** RFC 9162 inclusion proof of event ?seq=S in the checkpoint of ?treeSize=N (default: latest). */
export const GET = route({
  query: inclusionQuery,
  handle: ({ query }) => inclusionProofResponse(query),
});
