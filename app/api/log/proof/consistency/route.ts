import { consistencyProofResponse } from "@/lib/checkpoints/api";
import { routeHandler } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** RFC 9162 consistency proof from checkpoint ?first=M to ?second=N (default: latest). */
export const GET = routeHandler((request: Request) => consistencyProofResponse(new URL(request.url).searchParams));
