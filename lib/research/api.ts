// GET /api/research/<slug>/<chart>.csv|.svg: one research chart's data as CSV, or its
// picture as a standalone SVG. Refusals are RFC 9457 problems; a chart of a batch with no
// finalized label yet is still answered (zero counts), since "nothing yet" is data too.
import { problem } from "@/lib/http/problem";
import { chartCsv } from "./charts";
import { batchResearch } from "./data";
import { researchView } from "./rules";
import type { z } from "zod";
import type { chartFileParams } from "./schema";
import { chartSvg } from "./svg";

// Decisions keep arriving while a batch is being moderated: revalidate every time.
const CACHE = "no-cache";

/** The route frame has parsed the path with chartFileParams (a 404 when it names no chart). */
export async function researchChartResponse({ slug, chart }: z.output<typeof chartFileParams>): Promise<Response> {
  const research = await batchResearch(slug);
  if (!research) return problem(404, `No batch has the slug "${slug}".`);
  const view = researchView(research.labels);
  const filename = `${slug}-${chart.id}.${chart.format}`;
  if (chart.format === "csv") {
    return new Response(chartCsv(chart.id, view), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8; header=present",
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": CACHE,
      },
    });
  }
  const svg = await chartSvg(chart.id, view, { batchTitle: research.batch.title, standalone: true });
  return new Response(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}`, {
    headers: {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "Content-Disposition": `inline; filename="${filename}"`,
      "Cache-Control": CACHE,
    },
  });
}
