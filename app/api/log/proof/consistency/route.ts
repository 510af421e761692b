import { consistencyProofResponse } from "@/lib/checkpoints/api";
import { consistencyQuery } from "@/lib/checkpoints/schema";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** RFC 9162 consistency proof from checkpoint ?first=M to ?second=N (default: latest). */
export const GET = route({
  query: consistencyQuery,
  handle: ({ query }) => consistencyProofResponse(query),
});
