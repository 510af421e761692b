import { reads } from "@/lib/db";
import { researchLabel, type ResearchLabel } from "./rules";
import { batchSlug, recordedTally } from "./schema";

export type BatchResearch = {
  batch: { id: string; slug: string; title: string; closesAt: Date; publishedDatapoints: number };
  /** One per finalized label, in decision order. */
  labels: (ResearchLabel & { decisionId: string; label: string; decidedAt: Date })[];
};

/**
 * A batch and its finalized labels (decisions with status FINAL: a label superseded after
 * an appeal, or an override still waiting for or refused its confirmation, is not a label
 * of the dataset), with the tally each one recorded. Null when no batch has the slug.
 */
export async function batchResearch(slug: string): Promise<BatchResearch | null> {
  if (!batchSlug.safeParse(slug).success) return null;
  const batch = await reads.page((db) =>
    db.batch.findUnique({
      where: { slug },
      select: {
        id: true,
        slug: true,
        title: true,
        closesAt: true,
        _count: { select: { datapoints: { where: { status: { not: "DRAFT" } } } } },
        datapoints: {
          where: { decisions: { some: { status: "FINAL" } } },
          select: {
            id: true,
            decisions: { where: { status: "FINAL" }, select: { id: true, label: true, tally: true, createdAt: true } },
          },
        },
      },
    }),
  );
  if (!batch) return null;
  const labels = batch.datapoints.flatMap((datapoint) =>
    datapoint.decisions.map((decision) => ({
      decisionId: decision.id,
      label: decision.label,
      decidedAt: decision.createdAt,
      // A stored tally that does not parse is a bug somewhere else: fail loudly.
      ...researchLabel(
        datapoint.id,
        recordedTally.parse(JSON.parse(decision.tally)),
        decision.createdAt,
        batch.closesAt,
      ),
    })),
  );
  labels.sort((a, b) => a.decidedAt.getTime() - b.decidedAt.getTime() || (a.decisionId < b.decisionId ? -1 : 1));
  return {
    batch: {
      id: batch.id,
      slug: batch.slug,
      title: batch.title,
      closesAt: batch.closesAt,
      publishedDatapoints: batch._count.datapoints,
    },
    labels,
  };
}
