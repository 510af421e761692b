import Link from "next/link";
import { voteDistribution } from "@/lib/tally/agreement";
import type { TallyOutput } from "@/lib/tally/tally";

type Props = {
  tally: TallyOutput;
  captions: Map<string, string>;
  policy: { name: string; version: number; contentHash: string };
};

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;
const REASONS = {
  BELOW_QUORUM: "not enough votes yet (below the policy's quorum)",
  MARGIN_TOO_SMALL: "the lead is smaller than the policy's required margin",
  CONTESTED: "contested: the leading options are tied",
} as const;

/** Weighted and unweighted results with their uncertainty, for those allowed to see them. */
export function TallyView({ tally, captions, policy }: Props) {
  const caption = (option: string) => captions.get(option) ?? option;
  const agreement = voteDistribution(tally.options.map((o) => o.votes));
  const cost = tally.manipulationCost;
  return (
    <section aria-labelledby="tally" className="space-y-3" data-testid="tally">
      <h3 id="tally" className="font-semibold">
        Current tally
      </h3>
      <p className="text-sm">
        {tally.outcome.kind === "decided" ? (
          <>
            Leading outcome under the policy:{" "}
            <strong data-testid="tally-outcome">{caption(tally.outcome.option)}</strong>
          </>
        ) : (
          <>
            No decision yet: <span data-testid="tally-outcome">{REASONS[tally.outcome.reason]}</span>
          </>
        )}{" "}
        · policy{" "}
        <Link href={`/policies/${policy.contentHash}`} className="text-accent underline">
          {policy.name} v{policy.version}
        </Link>
      </p>
      <table className="w-full text-sm">
        <caption className="sr-only">Votes per option, unweighted and weighted</caption>
        <thead>
          <tr className="text-left text-muted">
            <th scope="col" className="py-1 font-normal">
              Option
            </th>
            <th scope="col" className="py-1 text-right font-normal">
              Votes
            </th>
            <th scope="col" className="py-1 text-right font-normal">
              Weight
            </th>
            <th scope="col" className="py-1 text-right font-normal">
              Weighted share
            </th>
          </tr>
        </thead>
        <tbody>
          {tally.options.map((o) => (
            <tr key={o.option} className="border-t border-gray-100">
              <th scope="row" className="py-1 text-left font-normal">
                {caption(o.option)}
              </th>
              <td className="py-1 text-right">{o.votes}</td>
              <td className="py-1 text-right">{o.weight.toFixed(2)}</td>
              <td className="py-1 text-right">
                <span aria-hidden="true" className="mr-2 inline-block h-2 w-16 rounded bg-gray-200 align-middle">
                  <span className="block h-2 rounded bg-accent" style={{ width: `${o.share * 100}%` }} />
                </span>
                {percent(o.share)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-muted">Voters</dt>
        <dd>
          {tally.votes} (effective sample size {tally.effectiveSampleSize.toFixed(1)})
        </dd>
        <dt className="text-muted">Margin</dt>
        <dd>
          {percent(tally.margin.value)} ({percent(tally.margin.level)} interval {percent(tally.margin.lower)} to{" "}
          {percent(tally.margin.upper)}; flips in {percent(tally.flipProbability)} of resamples)
        </dd>
        <dt className="text-muted">Manipulation cost</dt>
        <dd data-testid="manipulation-cost">
          {cost.accounts !== null
            ? `${cost.accounts} new account${cost.accounts === 1 ? "" : "s"} voting together would change the outcome`
            : cost.reason === "NEWCOMERS_WEIGH_NOTHING"
              ? "new accounts carry no weight under this policy"
              : "no number of new accounts could change the outcome"}
        </dd>
        <dt className="text-muted">Agreement</dt>
        <dd>
          majority {percent(agreement.majorityShare)}, entropy {agreement.entropyBits.toFixed(2)} bits
        </dd>
      </dl>
    </section>
  );
}
