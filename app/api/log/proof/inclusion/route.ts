import { inclusionProofResponse } from "@/lib/checkpoints/api";
import { routeHandler } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** RFC 9162 inclusion proof of event ?seq=S in the checkpoint of ?treeSize=N (default: latest). */
export const GET = routeHandler((request: Request) => inclusionProofResponse(new URL(request.url).searchParams));
