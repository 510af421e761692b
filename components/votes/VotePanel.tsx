import Link from "next/link";
import type { OptionsView } from "@/lib/datapoints/rules";
import type { TallyOutput } from "@/lib/tally/tally";
import type { VotingState } from "@/lib/votes/rules";
import { TallyView } from "./TallyView";
import { VoteForm } from "./VoteForm";

type Props = {
  datapointId: string;
  kind: "PAIRWISE" | "RATING" | "CLASSIFICATION";
  options: OptionsView;
  signedIn: boolean;
  voting: VotingState;
  rationaleRequired: boolean;
  tallyVisibility: "AFTER_OWN_VOTE" | "AFTER_CLOSE";
  myVote: { option: string; rationale: string | null; changes: number } | null;
  /** Present only when this visitor may see the tally (anti-herding). */
  tally: TallyOutput | null;
  policy: { name: string; version: number; contentHash: string };
};

export function VotePanel({
  datapointId,
  kind,
  options,
  signedIn,
  voting,
  rationaleRequired,
  tallyVisibility,
  myVote,
  tally,
  policy,
}: Props) {
  const captions = new Map(options.options.map((o) => [o.id, o.caption]));
  return (
    <section aria-labelledby="vote" className="space-y-4 rounded-lg border border-gray-200 bg-white p-4">
      <h2 id="vote" className="text-lg font-semibold">
        Your vote
      </h2>
      {myVote && (
        <p data-testid="my-vote">
          You voted: <strong>{captions.get(myVote.option) ?? myVote.option}</strong>
          {myVote.changes > 0 && ` (changed ${myVote.changes === 1 ? "once" : `${myVote.changes} times`})`}
        </p>
      )}
      {!voting.open ? (
        <p className="rounded bg-amber-50 p-2 text-amber-900">{voting.message}</p>
      ) : signedIn ? (
        <VoteForm
          datapointId={datapointId}
          kind={kind}
          question={options.question}
          options={options.options}
          rationaleRequired={rationaleRequired}
          current={myVote}
        />
      ) : (
        <p>
          <Link href={`/signin?callbackUrl=/datapoints/${datapointId}`} className="font-medium text-accent underline">
            Sign in to vote
          </Link>{" "}
          — reading and discussion are open to everyone.
        </p>
      )}
      {tally ? (
        <TallyView tally={tally} captions={captions} policy={policy} />
      ) : (
        <p className="text-sm text-muted" data-testid="tally-hidden">
          {tallyVisibility === "AFTER_CLOSE"
            ? "The tally stays hidden until voting closes, so that votes are independent."
            : "The tally is hidden until you have voted, so that your vote is independent."}
        </p>
      )}
    </section>
  );
}
