import { checkpointResponse } from "@/lib/checkpoints/api";
import { checkpointQuery } from "@/lib/checkpoints/schema";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The latest signed checkpoint, or the one of ?treeSize=N. */
export const GET = route({
  query: checkpointQuery,
  handle: ({ query }) => checkpointResponse(query),
});
