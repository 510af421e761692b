// The decision in force, as the decisions table records it.
import Link from "next/link";
import { ActorName } from "@/components/audit/EventMeta";
import { formatInstant } from "@/lib/audit/views/rules";
import type { StoryDecision as Decision } from "@/lib/audit/views/data";

export function DecisionRecord({ decision }: { decision: Decision | undefined }) {
  if (!decision)
    return (
      <p className="text-muted" data-testid="no-decision">
        No label has been finalized yet.
      </p>
    );
  return (
    <dl
      className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 rounded-lg border border-gray-200 bg-white p-4 text-sm"
      data-testid="final-decision"
    >
      <dt className="text-muted">Label</dt>
      <dd className="font-semibold">{decision.label}</dd>
      <dt className="text-muted">Decided by</dt>
      <dd>
        <ActorName actor={decision.moderator} /> on {formatInstant(decision.createdAt)}
      </dd>
      <dt className="text-muted">Rationale</dt>
      <dd className="whitespace-pre-wrap break-words">{decision.rationale}</dd>
      <dt className="text-muted">Override</dt>
      <dd>
        {decision.isOverride
          ? `Yes: the tally's outcome was overridden (${(decision.overrideReason ?? "other").toLowerCase().replaceAll("_", " ")})`
          : "No: the label is the tally's outcome"}
      </dd>
      {decision.isOverride && (
        <>
          <dt className="text-muted">Confirmed by</dt>
          <dd>
            {decision.confirmedBy ? <ActorName actor={decision.confirmedBy} /> : "not confirmed"}
            {decision.confirmedAt && ` on ${formatInstant(decision.confirmedAt)}`}
          </dd>
        </>
      )}
      <dt className="text-muted">Policy</dt>
      <dd>
        <Link href={`/policies/${decision.policyHash}`} className="text-accent underline-offset-2 hover:underline">
          {decision.policy.name} v{decision.policy.version}
        </Link>
      </dd>
      <dt className="text-muted">Log considered</dt>
      <dd>up to seq {String(decision.lastSeq)}</dd>
      <dt className="text-muted">Vote digest</dt>
      <dd className="min-w-0">
        <code className="break-all text-xs">{decision.voteDigest}</code>
      </dd>
    </dl>
  );
}
