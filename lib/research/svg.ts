// Renders a research chart to SVG on the server with Vega (View#toSVG needs no canvas and
// no DOM), so the page ships no chart JavaScript and the download is the same picture.
import type { TopLevelSpec } from "vega-lite";
import { CHARTS } from "./charts";
import type { ResearchView } from "./rules";
import type { ChartId } from "./schema";
import { chartSpec } from "./specs";

type Vega = typeof import("vega");
type VegaLite = typeof import("vega-lite");

let modules: Promise<[Vega, VegaLite]> | undefined;

/**
 * Loaded by Node at run time rather than bundled: vega-canvas probes for the optional
 * native `canvas` package with a top-level `await import("canvas")`, which a bundler would
 * try to resolve at build time. Nothing here needs canvas (SVG output estimates text
 * widths), and next.config.js is not ours to change (serverExternalPackages would do too).
 */
function loadVega(): Promise<[Vega, VegaLite]> {
  modules ??= Promise.all([
    import(/* webpackIgnore: true */ /* turbopackIgnore: true */ "vega"),
    import(/* webpackIgnore: true */ /* turbopackIgnore: true */ "vega-lite"),
  ]);
  return modules;
}

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);

/**
 * Makes Vega's SVG one image with a name and a description: role="img" on the root, a
 * <title> and <desc> it points to, and Vega's own per-mark roles removed (the children of
 * an image are presentational; screen readers get the description and the data table).
 */
export function accessibleSvg(svg: string, a11y: { id: string; title: string; description: string }): string {
  const open = svg.indexOf(">", svg.indexOf("<svg"));
  if (!svg.startsWith("<svg") || open < 0) throw new Error("Vega did not return an SVG document.");
  const body = svg.slice(open + 1).replace(/ (?:role|aria-roledescription|aria-label)="[^"]*"/g, "");
  const root = svg.slice(0, open).replace(/ (?:role|aria-[a-z]+)="[^"]*"/g, "");
  const titleId = `${a11y.id}-title`;
  const descId = `${a11y.id}-desc`;
  return (
    `${root} role="img" aria-labelledby="${titleId}" aria-describedby="${descId}" style="max-width:100%;height:auto">` +
    `<title id="${titleId}">${escapeXml(a11y.title)}</title><desc id="${descId}">${escapeXml(a11y.description)}</desc>${body}`
  );
}

async function renderSpec(
  spec: TopLevelSpec,
  a11y: { id: string; title: string; description: string },
): Promise<string> {
  const [vega, vegaLite] = await loadVega();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
  try {
    return accessibleSvg(await view.toSVG(), a11y);
  } finally {
    view.finalize();
  }
}

/**
 * A chart as SVG. On the page the section's heading names the chart, so the picture leaves
 * the title out; the downloaded file stands alone and draws the title and the batch too.
 */
export async function chartSvg(
  id: ChartId,
  view: ResearchView,
  options: { batchTitle: string; standalone: boolean },
): Promise<string> {
  const chart = CHARTS[id];
  const heading = options.standalone ? { text: chart.title, subtitle: options.batchTitle } : null;
  const title = options.standalone ? `${chart.title} — ${options.batchTitle}` : chart.title;
  return renderSpec(chartSpec(id, view, heading), {
    id: `research-${id}`,
    title,
    description: chart.description(view),
  });
}

/** Every chart as the page shows it: words, picture and data table. */
export async function pageCharts(view: ResearchView) {
  return Promise.all(
    (Object.keys(CHARTS) as ChartId[]).map(async (id) => ({
      id,
      title: CHARTS[id].title,
      description: CHARTS[id].description(view),
      table: CHARTS[id].table(view),
      svg: await chartSvg(id, view, { batchTitle: "", standalone: false }),
    })),
  );
}
