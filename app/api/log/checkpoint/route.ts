import { checkpointResponse } from "@/lib/checkpoints/api";
import { routeHandler } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The latest signed checkpoint, or the one of ?treeSize=N. */
export const GET = routeHandler((request: Request) => checkpointResponse(new URL(request.url).searchParams));
