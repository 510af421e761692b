import { entriesResponse } from "@/lib/checkpoints/api";

export const dynamic = "force-dynamic";

/** Audit events ?from=A&to=B (seq, inclusive; at most 1,000 per request). */
export function GET(request: Request) {
  return entriesResponse(new URL(request.url).searchParams);
}
