import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { Discussion } from "@/components/comments/Discussion";
import { DatapointView } from "@/components/datapoints/DatapointView";
import { FinalizeForms } from "@/components/decisions/FinalizeForms";
import { LabelHistory } from "@/components/decisions/LabelHistory";
import { ReasonForm } from "@/components/decisions/ReasonForm";
import { TallyView } from "@/components/votes/TallyView";
import { currentUser } from "@/lib/auth/session";
import { getDatapointForModeration } from "@/lib/datapoints/data";
import { optionsView } from "@/lib/datapoints/rules";
import { resolveAppealAction, reviewOverrideAction } from "@/lib/decisions/actions";
import { decisionContext } from "@/lib/decisions/data";
import { dismissFlagAction } from "@/lib/moderation/actions";
import { personLabel } from "@/lib/users/names/rules";
import { canModerate } from "@/lib/users/policy";
import { formatDate } from "@/lib/domain/time";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Decide a label" };

export default async function DecisionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=/moderation/datapoints/${id}`);
  if (!canModerate(user))
    return (
      <p role="alert" className="text-red-800">
        Only moderators can decide labels.
      </p>
    );
  const datapoint = await getDatapointForModeration(id);
  const context = datapoint ? await decisionContext(id, user.id) : null;
  if (!datapoint || !context) notFound();
  const options = optionsView(datapoint.kind, datapoint.labelOptions);
  const captions = new Map(options.options.map((o) => [o.id, o.caption]));
  const decided = context.tally?.outcome.kind === "decided" ? context.tally.outcome.option : null;
  const openAppeals = context.history.appeals.filter((a) => a.status === "OPEN");

  return (
    <div className="space-y-8">
      <p>
        <Link href="/moderation" className="text-accent underline">
          ← Moderation queue
        </Link>
      </p>
      <DatapointView datapoint={datapoint} options={options} />

      <section aria-labelledby="decide" className="space-y-3 rounded-lg border border-gray-200 bg-white p-4">
        <h2 id="decide" className="text-lg font-semibold">
          Decision
        </h2>
        {context.tally && <TallyView tally={context.tally} captions={captions} policy={datapoint.batch.policy} />}
        <p className="text-sm" data-testid="bridging-flag">
          Bridging check (advisory):{" "}
          {context.oneSided
            ? `the leading option is supported by one opinion side only (${Math.round(context.oneSided.supporterSideShare * 100)}% of ${context.oneSided.supporters} supporters).`
            : "no sign that one opinion side alone carries the leading option."}
        </p>
        {context.status === "FINALIZED" ? (
          <p className="rounded bg-green-50 p-2 text-green-900">
            The label is final. An accepted appeal can reopen it.
          </p>
        ) : context.status === "OPEN" ? (
          <p className="rounded bg-amber-50 p-2 text-amber-900">
            Voting is still open; the label can be decided once it closes.
          </p>
        ) : context.recused ? (
          <p role="alert" data-testid="recused" className="rounded bg-amber-50 p-2 text-amber-900">
            {context.recused}
          </p>
        ) : context.pending ? (
          context.pending.proposerId === user.id ? (
            <p className="rounded bg-amber-50 p-2">
              Your override to “{captions.get(context.pending.label)}” waits for a second moderator.
            </p>
          ) : (
            <div className="space-y-2 rounded border border-amber-300 bg-amber-50 p-3" data-testid="pending-override">
              <p>
                {personLabel(context.pending.proposer)} proposes to override the tally with{" "}
                <strong>{captions.get(context.pending.label) ?? context.pending.label}</strong> (
                {context.pending.overrideReason?.toLowerCase().replaceAll("_", " ")}): {context.pending.rationale}
              </p>
              <ReasonForm
                action={reviewOverrideAction}
                field="rationale"
                hidden={{ decisionId: context.pending.id, datapointId: id, verdict: "confirm" }}
                label="Note (optional)"
                submitLabel="Confirm override"
                testId="confirm"
              />
              <ReasonForm
                action={reviewOverrideAction}
                field="rationale"
                hidden={{ decisionId: context.pending.id, datapointId: id, verdict: "decline" }}
                label="Why decline? (at least 20 characters)"
                submitLabel="Decline override"
                testId="decline"
                tone="danger"
              />
            </div>
          )
        ) : (
          <FinalizeForms datapointId={id} options={options.options} decidedOption={decided} />
        )}
      </section>

      {openAppeals.length > 0 && (
        <section aria-labelledby="appeals" className="space-y-2">
          <h2 id="appeals" className="text-lg font-semibold">
            Open appeals
          </h2>
          {openAppeals.map((a) => (
            <div
              key={a.id}
              className="space-y-2 rounded border border-amber-200 bg-amber-50 p-3 text-sm"
              data-testid="open-appeal"
            >
              <p>
                {personLabel(a.appellant)}: {a.reason}
              </p>
              <ReasonForm
                action={resolveAppealAction}
                field="rationale"
                hidden={{ appealId: a.id, datapointId: id, verdict: "accept" }}
                label="Rationale for reopening (published)"
                submitLabel="Accept appeal and reopen voting"
                testId={`accept-appeal-${a.id}`}
              />
              <ReasonForm
                action={resolveAppealAction}
                field="rationale"
                hidden={{ appealId: a.id, datapointId: id, verdict: "reject" }}
                label="Rationale for rejecting (published)"
                submitLabel="Reject appeal"
                testId={`reject-appeal-${a.id}`}
                tone="danger"
              />
            </div>
          ))}
        </section>
      )}

      <section aria-labelledby="flags" className="space-y-2">
        <h2 id="flags" className="text-lg font-semibold">
          Open flags on this datapoint
        </h2>
        {context.flags.length === 0 ? (
          <p className="text-muted">None.</p>
        ) : (
          context.flags.map((f) => (
            <div key={f.id} className="rounded border border-gray-200 bg-white p-3 text-sm">
              <p>
                {personLabel(f.reporter)}, {formatDate(f.createdAt)}: {f.reason.toLowerCase().replaceAll("_", " ")}
                {f.note ? ` — ${f.note}` : ""}
              </p>
              <ReasonForm
                action={dismissFlagAction}
                hidden={{ flagId: f.id, datapointId: id }}
                label="Reason for dismissing"
                submitLabel="Dismiss flag"
                testId={`dismiss-${f.id}`}
              />
            </div>
          ))
        )}
      </section>

      <section aria-labelledby="timeline" className="space-y-2">
        <h2 id="timeline" className="text-lg font-semibold">
          Timeline of votes
        </h2>
        {context.timeline.length === 0 ? (
          <p className="text-muted">No votes.</p>
        ) : (
          <ol className="space-y-1 text-sm" data-testid="vote-timeline">
            {context.timeline.map((v) => (
              <li key={v.id}>
                {formatDate(v.createdAt)} · {personLabel(v.voter)}:{" "}
                <strong>{captions.get(v.option) ?? v.option}</strong>
                {v.rationale && <span className="text-muted"> — {v.rationale}</span>}{" "}
                <span className="text-muted">({v.seq === null ? "being logged" : `seq ${v.seq}`})</span>
              </li>
            ))}
          </ol>
        )}
      </section>

      <LabelHistory history={context.history} captions={captions} />
      <Discussion datapointId={id} user={user} />
    </div>
  );
}
