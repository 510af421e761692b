import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Discussion } from "@/components/comments/Discussion";
import { FlagDatapoint } from "@/components/comments/FlagDatapoint";
import { DatapointView } from "@/components/datapoints/DatapointView";
import { AppealForm } from "@/components/decisions/AppealForm";
import { LabelHistory } from "@/components/decisions/LabelHistory";
import { VotePanel } from "@/components/votes/VotePanel";
import { currentUser } from "@/lib/auth/session";
import { getOwnFlags, getThread, type ThreadView } from "@/lib/comments/data";
import { getDatapoint } from "@/lib/datapoints/data";
import { labelHistory } from "@/lib/decisions/data";
import { optionsView } from "@/lib/datapoints/rules";
import { currentTally } from "@/lib/votes/tallies/data";
import { getMyVote } from "@/lib/votes/data";
import { canParticipate } from "@/lib/users/policy";
import { responseOrder, tallyVisibleTo, votingState } from "@/lib/votes/rules";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

const EMPTY_THREAD: ThreadView = { comments: 0, nodes: [] };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const datapoint = await getDatapoint((await params).id);
  return { title: datapoint?.title ?? "Datapoint not found" };
}

export default async function DatapointPage({ params }: Props) {
  const datapointRead = getDatapoint((await params).id);
  // Reads that need only the datapoint start as soon as it is known, beside the reader's
  // session, instead of one after another. (The no-op catch keeps a failed read from being
  // reported as unhandled when the page has already stopped for another reason.)
  const historyRead = datapointRead.then((d) => (d ? labelHistory(d.id) : null));
  const threadRead = datapointRead.then((d) => (d ? getThread(d.id) : EMPTY_THREAD));
  for (const read of [historyRead, threadRead]) read.catch(() => {});
  const [datapoint, user] = await Promise.all([datapointRead, currentUser()]);
  if (!datapoint) notFound();
  const options = optionsView(datapoint.kind, datapoint.labelOptions);
  const voting = votingState(datapoint.status, datapoint.batch, new Date());
  // The reader's own flags (FlagDatapoint, Discussion) are read beside their vote.
  if (user && canParticipate(user)) getOwnFlags(user.id, datapoint.id).catch(() => {});
  const myVote = user ? await getMyVote(datapoint.id, user.id) : null;
  const showTally = tallyVisibleTo(datapoint.batch.tallyVisibility, !!myVote, voting.open);
  const [tally, history] = await Promise.all([showTally ? currentTally(datapoint.id) : null, historyRead]);
  // Each signed-in voter sees the responses in their own stable random order (position bias).
  const ids = datapoint.responses.map((r) => r.id);
  const order = user ? responseOrder(user.id, datapoint.id, ids) : ids;
  const responses = order.map((id) => datapoint.responses.find((r) => r.id === id)!);

  return (
    <div className="space-y-8">
      <DatapointView datapoint={{ ...datapoint, responses }} options={options} />
      <VotePanel
        datapointId={datapoint.id}
        kind={datapoint.kind}
        options={options}
        signedIn={!!user}
        voting={voting}
        rationaleRequired={datapoint.batch.rationaleRequired}
        tallyVisibility={datapoint.batch.tallyVisibility}
        myVote={myVote}
        tally={tally}
        policy={datapoint.batch.policy}
      />
      {history && <LabelHistory history={history} captions={new Map(options.options.map((o) => [o.id, o.caption]))} />}
      {user && datapoint.status === "FINALIZED" && <AppealForm datapointId={datapoint.id} />}
      <FlagDatapoint datapointId={datapoint.id} user={user} />
      <Discussion datapointId={datapoint.id} user={user} thread={threadRead} />
    </div>
  );
}
