import { researchChartResponse } from "@/lib/research/api";
import { chartFileParams } from "@/lib/research/schema";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** A research chart of a batch: /api/research/<slug>/<chart>.csv (its data) or .svg (its picture). */
export const GET = route({ params: chartFileParams, handle: ({ params }) => researchChartResponse(params) });
