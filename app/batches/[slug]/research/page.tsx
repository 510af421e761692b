import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ChartFigure } from "@/components/research/ChartFigure";
import { ResearchSummary } from "@/components/research/ResearchSummary";
import { batchAgreementByKind } from "@/lib/batches/data";
import { batchResearch } from "@/lib/research/data";
import { researchView } from "@/lib/research/rules";
import { pageCharts } from "@/lib/research/svg";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

// The metadata and the page read the same batch in one request: read (and parse) it once.
const readResearch = cache(batchResearch);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const research = await readResearch((await params).slug);
  return { title: research ? `Research: ${research.batch.title}` : "Batch not found" };
}

export default async function ResearchPage({ params }: Props) {
  const research = await readResearch((await params).slug);
  if (!research) notFound();
  const { batch, labels } = research;
  const view = researchView(labels);
  const [charts, agreement] = await Promise.all([
    labels.length ? pageCharts(view) : [],
    batchAgreementByKind(batch.id),
  ]);
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <p className="text-sm">
          <Link href={`/batches/${batch.slug}`} className="text-accent underline">
            ← {batch.title}
          </Link>
        </p>
        <h1 className="text-2xl font-bold">Research: agreement and quality</h1>
      </div>

      <section aria-labelledby="trade-off" className="max-w-3xl space-y-2">
        <h2 id="trade-off" className="text-lg font-semibold">
          The quality–quantity trade-off
        </h2>
        <p>
          Alignment training data can be plentiful or carefully checked, and rarely both. A label that most voters
          chose, by a clear margin, is more likely to say what people actually think than one decided by a narrow split
          — but keeping only the clearly agreed labels leaves fewer of them.
        </p>
        <p>
          The quality–quantity curve shows that trade-off for this batch: for each minimum level of agreement, how many
          of its finalized labels would remain. A curve that falls early means many labels were close calls; a curve
          that stays high means voters mostly agreed. Where to cut is a choice for whoever trains on the data; the curve
          and the CSV behind it let them make that choice knowingly.
        </p>
        <p className="text-sm text-muted">
          Every number comes from the tally recorded with each final decision, which anyone can recompute from the{" "}
          <Link href="/audit" className="text-accent underline">
            audit log
          </Link>
          . Majority share counts votes; margin is the leading option&apos;s lead over the runner-up in weighted share,
          as the batch&apos;s voting policy weighs votes.
        </p>
      </section>

      <ResearchSummary summary={view.summary} publishedDatapoints={batch.publishedDatapoints} agreement={agreement} />

      {labels.length === 0 ? (
        <p role="status" className="rounded-lg border border-gray-200 bg-white p-4" data-testid="research-empty">
          No label in this batch is final yet, so there is nothing to plot. The charts appear here as moderators
          finalize labels.
        </p>
      ) : (
        charts.map((chart) => <ChartFigure key={chart.id} slug={batch.slug} {...chart} />)
      )}
    </div>
  );
}
