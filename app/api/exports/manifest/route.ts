import { manifestResponse } from "@/lib/exports/api";
import { CORS } from "@/lib/exports/stream";
import { manifestQuery } from "@/lib/exports/schema";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The release manifest for the filters at the latest (or ?treeSize=) signed checkpoint. */
export const GET = route({
  query: manifestQuery,
  refusalHeaders: CORS,
  handle: ({ query }) => manifestResponse(query),
});
