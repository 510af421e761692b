// Vega-Lite specifications of the five research charts. Declarative specs rather than
// hand-drawn SVG: Vega-Lite picks scales, ticks and label overlap for us, and a researcher
// can paste a spec into the Vega editor. Colours keep at least 4.5:1 against white, and the
// two curves also differ by dash and point shape, so nothing depends on colour alone.
import type { TopLevelSpec } from "vega-lite";
import type { Bin, ResearchView } from "./rules";
import type { ChartId } from "./schema";

const INK = "#1c2230";
const MUTED = "#4b5563";
const BLUE = "#1f5f99";
const ORANGE = "#9a4300";
const GREY = "#5f6670";

export type ChartHeading = { text: string; subtitle: string } | null;

function frame(heading: ChartHeading) {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: 560,
    height: 240,
    background: "white",
    ...(heading ? { title: { text: heading.text, subtitle: heading.subtitle, anchor: "start" as const } } : {}),
    config: {
      // The page and the SVG carry one accessible name and description for the whole chart.
      aria: false,
      font: "sans-serif",
      view: { stroke: null },
      axis: {
        labelColor: INK,
        titleColor: INK,
        labelFontSize: 11,
        titleFontSize: 12,
        gridColor: "#e5e7eb",
        domainColor: MUTED,
        tickColor: MUTED,
      },
      legend: { labelColor: INK, titleColor: INK, labelFontSize: 11, labelLimit: 0 },
      title: { color: INK, subtitleColor: MUTED, fontSize: 15 },
    },
  };
}

/** Counts from 0, and to at least 1 so that an empty chart still has a sensible axis. */
const countScale = (max: number) => ({ domain: [0, Math.max(1, max)], nice: true });

/** Bars in bin order, each with its count written above it. */
function histogram(bins: Bin[], axisTitle: string, heading: ChartHeading, labelAngle = 0): TopLevelSpec {
  const separate = bins.some((b) => b.separate);
  const groups = ["changeable by new accounts", "not changeable by new accounts"];
  return {
    ...frame(heading),
    data: { values: bins.map((b) => ({ bin: b.label, count: b.count, group: groups[b.separate ? 1 : 0] })) },
    encoding: {
      x: { field: "bin", type: "ordinal", sort: null, title: axisTitle, axis: { labelAngle, labelLimit: 0 } },
      y: {
        field: "count",
        type: "quantitative",
        title: "Finalized labels",
        axis: { tickMinStep: 1, format: "d" },
        scale: countScale(Math.max(...bins.map((b) => b.count))),
      },
    },
    layer: [
      {
        mark: { type: "bar", color: BLUE },
        ...(separate
          ? {
              encoding: {
                color: {
                  field: "group",
                  type: "nominal",
                  scale: { domain: groups, range: [BLUE, GREY] },
                  legend: { orient: "top", title: null },
                },
              },
            }
          : {}),
      },
      {
        mark: { type: "text", dy: -6, color: INK, fontSize: 11 },
        encoding: { text: { field: "count", type: "quantitative" } },
      },
    ],
  } as TopLevelSpec;
}

function curve(view: ResearchView, heading: ChartHeading): TopLevelSpec {
  const series = ["by majority share", "by margin"];
  const scale = (range: unknown[]) => ({ domain: series, range });
  const legend = { orient: "top", title: "Labels kept" } as const;
  return {
    ...frame(heading),
    data: {
      values: view.curve.flatMap((p) => [
        { threshold: p.threshold, kept: p.byAgreement, series: series[0] },
        { threshold: p.threshold, kept: p.byMargin, series: series[1] },
      ]),
    },
    mark: { type: "line", point: { filled: true, size: 40 }, strokeWidth: 2 },
    encoding: {
      x: {
        field: "threshold",
        type: "quantitative",
        title: "Minimum threshold",
        scale: { domain: [0, 1] },
        axis: { format: ".1f", tickCount: 10 },
      },
      y: {
        field: "kept",
        type: "quantitative",
        title: "Finalized labels kept",
        axis: { tickMinStep: 1, format: "d" },
        scale: countScale(view.summary.labels),
      },
      color: { field: "series", type: "nominal", scale: scale([BLUE, ORANGE]), legend },
      strokeDash: {
        field: "series",
        type: "nominal",
        scale: scale([
          [1, 0],
          [6, 3],
        ]),
        legend,
      },
      shape: { field: "series", type: "nominal", scale: scale(["circle", "square"]), legend },
    },
  } as TopLevelSpec;
}

export function chartSpec(id: ChartId, view: ResearchView, heading: ChartHeading): TopLevelSpec {
  switch (id) {
    case "quality-quantity":
      return curve(view, heading);
    case "agreement":
      return histogram(view.agreement, "Majority share", heading);
    case "votes-per-label":
      return histogram(view.votes, "Votes in the tally", heading);
    case "time-to-decision":
      return histogram(view.time, "Time from the batch's close to the decision", heading);
    case "manipulation-cost":
      return histogram(view.cost, "New accounts needed to change the outcome", heading, -30);
  }
}
