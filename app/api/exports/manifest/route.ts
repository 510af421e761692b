import { manifestResponse } from "@/lib/exports/api";

export const dynamic = "force-dynamic";

/** The release manifest for the filters at the latest (or ?treeSize=) signed checkpoint. */
export function GET(request: Request) {
  return manifestResponse(new URL(request.url));
}
