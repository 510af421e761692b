import { openApiDocument } from "@/lib/openapi/document";
import { route } from "@/lib/http/route";

// Rendered per request (from a per-process copy) so the Cache-Control below is the one sent;
// a prerendered route would have Next's own.
export const dynamic = "force-dynamic";

/** The OpenAPI 3.1 description of the public API (readable at /developers). */
export const GET = route({
  handle: () =>
    Response.json(openApiDocument(), {
      headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
    }),
});
