// POST /api/ping: answers at once without touching the database. A client or load balancer
// checks with it that the app takes write requests through the same proxy (rate limiting)
// as every API route; the vote benchmark uses it as its baseline (bench/vote-http.ts).
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = route({ handle: () => Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } }) });
