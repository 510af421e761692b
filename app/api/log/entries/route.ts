import { entriesResponse } from "@/lib/checkpoints/api";
import { routeHandler } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Audit events ?from=A&to=B (seq, inclusive; at most 1,000 per request). */
export const GET = routeHandler((request: Request) => entriesResponse(new URL(request.url).searchParams));
