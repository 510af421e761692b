import { researchChartResponse } from "@/lib/research/api";
import { routeHandler } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** A research chart of a batch: /api/research/<slug>/<chart>.csv (its data) or .svg (its picture). */
export const GET = routeHandler(async (_request: Request, { params }: { params: Promise<{ slug: string; chart: string }> }) => researchChartResponse(await params));
