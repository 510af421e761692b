import { consistencyProofResponse } from "@/lib/checkpoints/api";

export const dynamic = "force-dynamic";

/** RFC 9162 consistency proof from checkpoint ?first=M to ?second=N (default: latest). */
export function GET(request: Request) {
  return consistencyProofResponse(new URL(request.url).searchParams);
}
