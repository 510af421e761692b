import { describe, expect, it } from "vitest";
import { CHARTS, chartCsv } from "./charts";
import { researchView, THRESHOLDS, type ResearchLabel } from "./rules";
import { CHART_IDS, chartFileParams } from "./schema";
import { xmlProblems } from "./svg-check";
import { accessibleSvg, chartSvg } from "./svg";

const labels: ResearchLabel[] = [
  {
    datapointId: "a",
    votes: 5,
    majorityShare: 0.8,
    margin: 0.6,
    hoursToDecision: 0.5,
    manipulationCost: { accounts: 4 },
  },
  {
    datapointId: "b",
    votes: 12,
    majorityShare: 0.5,
    margin: 0,
    hoursToDecision: 30,
    manipulationCost: { accounts: null, reason: "UNREACHABLE" },
  },
  {
    datapointId: "c",
    votes: 3,
    majorityShare: 1,
    margin: 1,
    hoursToDecision: 200,
    manipulationCost: { accounts: null, reason: "NEWCOMERS_WEIGH_NOTHING" },
  },
];
const view = researchView(labels);

const csvLines = (csv: string) => csv.split("\r\n").filter((line) => line !== "");

describe("chart CSV", () => {
  it("has a header and one row per point of every chart", () => {
    const points: Record<string, number> = {
      "quality-quantity": THRESHOLDS.length,
      agreement: view.agreement.length,
      "votes-per-label": view.votes.length,
      "time-to-decision": view.time.length,
      "manipulation-cost": view.cost.length,
    };
    for (const id of CHART_IDS) {
      const lines = csvLines(chartCsv(id, view));
      expect(lines[0]).toBe(
        CHARTS[id]
          .table(view)
          .columns.map((c) => c.key)
          .join(","),
      );
      expect(lines).toHaveLength(points[id]! + 1);
    }
  });

  it("writes the curve's thresholds and counts, and the separate manipulation bins with empty edges", () => {
    const curve = csvLines(chartCsv("quality-quantity", view));
    expect(curve[0]).toBe("threshold,labels_kept_by_majority_share,labels_kept_by_margin");
    expect(curve[1]).toBe("0,3,3");
    expect(curve).toContain("0.8,2,1");
    const cost = csvLines(chartCsv("manipulation-cost", view));
    expect(cost.slice(-2)).toEqual(["unreachable,,,1", "newcomers weigh nothing,,,1"]);
  });
});

describe("chart descriptions", () => {
  it("state the numbers the chart shows", () => {
    expect(CHARTS["quality-quantity"].description(view)).toContain(
      "At a minimum majority share of 0.8, 2 of 3 remain; at a minimum margin of 0.5, 2 of 3 remain.",
    );
    expect(CHARTS["manipulation-cost"].description(view)).toContain(
      "1 label that no number of new accounts could change",
    );
    expect(CHARTS["time-to-decision"].description(researchView([]))).toContain("No bin has a label yet.");
  });
});

describe("chart SVG", () => {
  it("is well-formed, names itself with <title> and <desc>, and draws the title when standalone", async () => {
    for (const id of CHART_IDS) {
      const svg = await chartSvg(id, view, { batchTitle: "Helpfulness & <friends>", standalone: true });
      expect(xmlProblems(svg)).toEqual([]);
      expect(svg).toMatch(
        /^<svg [^>]*role="img" aria-labelledby="research-[a-z-]+-title" aria-describedby="research-[a-z-]+-desc"/,
      );
      expect(svg).toContain(
        `<title id="research-${id}-title">${CHARTS[id].title.replace("&", "&amp;")} — Helpfulness &amp; &lt;friends&gt;</title>`,
      );
      expect(svg).toContain(`>${CHARTS[id].title}</text>`);
      expect(svg).not.toContain("graphics-");
    }
  });

  it("renders an empty batch's charts without failing", async () => {
    const svg = await chartSvg("votes-per-label", researchView([]), { batchTitle: "Empty", standalone: false });
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).not.toContain(">Votes per label</text>");
  });

  it("refuses something that is not an SVG document", () => {
    expect(() => accessibleSvg("<div></div>", { id: "x", title: "t", description: "d" })).toThrow();
  });
});

describe("chart file params", () => {
  it("accept a known chart as .csv or .svg, and nothing else", () => {
    expect(chartFileParams.parse({ slug: "b-1", chart: "agreement.svg" })).toEqual({
      slug: "b-1",
      chart: { id: "agreement", format: "svg" },
    });
    for (const chart of ["agreement.png", "nope.csv", "agreement", "../x.csv"]) {
      expect(chartFileParams.safeParse({ slug: "b-1", chart }).success).toBe(false);
    }
    expect(chartFileParams.safeParse({ slug: "Bad Slug", chart: "agreement.csv" }).success).toBe(false);
  });
});

describe("the XML check itself", () => {
  it("catches what an image viewer would refuse", () => {
    expect(xmlProblems('<svg><g a="1"></g></svg>')).toEqual([]);
    expect(xmlProblems("<svg><g></svg>")).not.toEqual([]);
    expect(xmlProblems("<svg>a & b</svg>")).not.toEqual([]);
    expect(xmlProblems('<svg a="1" a="2"/>')).not.toEqual([]);
    expect(xmlProblems("<svg/><svg/>")).not.toEqual([]);
  });
});
