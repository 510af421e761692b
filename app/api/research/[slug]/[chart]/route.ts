import { researchChartResponse } from "@/lib/research/api";

export const dynamic = "force-dynamic";

/** A research chart of a batch: /api/research/<slug>/<chart>.csv (its data) or .svg (its picture). */
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string; chart: string }> }) {
  return researchChartResponse(await params);
}
