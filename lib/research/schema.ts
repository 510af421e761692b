// What the research page reads from a recorded tally, and the address of a chart download.
// The tally is the canonical JSON a decision stored (lib/tally/tally.ts: TallyOutput); we
// parse only the fields the charts use, so an added field in a later engine does not break
// the page, while a missing or mistyped one fails loudly instead of plotting nonsense.
import { z } from "zod";
import { slug } from "@/lib/domain/schema";

export const recordedTally = z.object({
  options: z.array(
    z.object({ option: z.string(), votes: z.number().int().nonnegative(), weight: z.number(), share: z.number() }),
  ),
  votes: z.number().int().nonnegative(),
  totalWeight: z.number(),
  effectiveSampleSize: z.number(),
  margin: z.object({ value: z.number(), lower: z.number(), upper: z.number(), level: z.number() }),
  flipProbability: z.number(),
  manipulationCost: z.union([
    z.object({
      accounts: z.number().int().positive(),
      option: z.string(),
      newAccountWeight: z.number(),
      reason: z.null(),
    }),
    z.object({
      accounts: z.null(),
      option: z.null(),
      newAccountWeight: z.number(),
      reason: z.enum(["NEWCOMERS_WEIGH_NOTHING", "UNREACHABLE"]),
    }),
  ]),
});
export type RecordedTally = z.infer<typeof recordedTally>;

export const CHART_IDS = [
  "quality-quantity",
  "agreement",
  "votes-per-label",
  "time-to-decision",
  "manipulation-cost",
] as const;
export type ChartId = (typeof CHART_IDS)[number];

export const batchSlug = slug("A batch slug has lowercase letters and digits, joined by single hyphens.");

/** Route params of /api/research/<slug>/<chart>.<csv|svg>. */
export const chartFileParams = z.object({
  slug: batchSlug,
  chart: z
    .string()
    .regex(/^[a-z-]+\.(csv|svg)$/, `A chart file is one of ${CHART_IDS.join(", ")}, followed by .csv or .svg.`)
    .transform((file) => ({ id: file.slice(0, file.lastIndexOf(".")), format: file.slice(file.lastIndexOf(".") + 1) }))
    .pipe(
      z.object({
        id: z.enum(CHART_IDS, `There is no such chart; the charts are ${CHART_IDS.join(", ")}.`),
        format: z.enum(["csv", "svg"]),
      }),
    ),
});
