import { formatHours, formatNumber } from "@/lib/research/charts";
import type { ResearchSummary as Summary } from "@/lib/research/rules";

type Agreement = { kind: string; level: string; alpha: number | null };
type Props = { summary: Summary; publishedDatapoints: number; agreement: Agreement[] };

/** The batch in a few numbers, beside the charts. */
export function ResearchSummary({ summary, publishedDatapoints, agreement }: Props) {
  const { majorityShare, margin, votes, hoursToDecision, manipulationCost } = summary;
  return (
    <section aria-labelledby="summary" className="space-y-2">
      <h2 id="summary" className="text-lg font-semibold">
        Summary
      </h2>
      <dl className="grid max-w-2xl grid-cols-[auto_1fr] gap-x-4 gap-y-1" data-testid="research-summary">
        <dt className="text-muted">Finalized labels</dt>
        <dd>
          {summary.labels} of {publishedDatapoints} published datapoints
        </dd>
        {summary.labels > 0 && (
          <>
            <dt className="text-muted">Majority share</dt>
            <dd>
              median {formatNumber(majorityShare.median)}, mean {formatNumber(majorityShare.mean)}
            </dd>
            <dt className="text-muted">Margin</dt>
            <dd>
              median {formatNumber(margin.median)}, mean {formatNumber(margin.mean)}
            </dd>
            <dt className="text-muted">Votes per label</dt>
            <dd>
              median {formatNumber(votes.median, 1)}, mean {formatNumber(votes.mean, 1)}
            </dd>
            <dt className="text-muted">Time to decision</dt>
            <dd>median {formatHours(hoursToDecision.median)} after the batch closed</dd>
            <dt className="text-muted">Manipulation cost</dt>
            <dd>
              median {manipulationCost.median === null ? "n/a" : `${manipulationCost.median} new accounts`};{" "}
              {manipulationCost.unreachable} unreachable, {manipulationCost.newcomersWeighNothing} where newcomers weigh
              nothing
            </dd>
          </>
        )}
        {agreement.map((a) => (
          <KindAlpha key={a.kind} {...a} />
        ))}
      </dl>
      {agreement.length > 0 && (
        <p className="text-sm text-muted">
          Krippendorff&apos;s α is over all current votes in the batch, finalized or not: 1 is perfect agreement, 0 no
          better than chance.
        </p>
      )}
    </section>
  );
}

function KindAlpha({ kind, level, alpha }: Agreement) {
  return (
    <>
      <dt className="text-muted">
        Krippendorff&apos;s α, {kind.toLowerCase()} ({level})
      </dt>
      <dd>{alpha === null ? "not enough overlap yet" : alpha.toFixed(3)}</dd>
    </>
  );
}
