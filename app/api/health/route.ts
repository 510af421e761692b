import { databaseHealth } from "@/lib/health/data";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Liveness and database reachability, for load balancers and the test harness. */
export const GET = route({
  handle: async () => {
    const database = await databaseHealth();
    return Response.json(
      { status: database.ok ? "ok" : "unavailable", database },
      { status: database.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
    );
  },
});
