// Every decision ever taken on the datapoint (superseded and declined ones too) and every
// appeal with its outcome, oldest first.
import { ActorName } from "@/components/audit/EventMeta";
import { Badge } from "@/components/ui/Badge";
import type { StoryAppeal, StoryDecision } from "@/lib/audit/views/data";
import { formatInstant } from "@/lib/audit/views/rules";

const DECISION_STATUS = {
  FINAL: ["In force", "green"],
  SUPERSEDED: ["Superseded after an appeal", "amber"],
  PENDING_CONFIRMATION: ["Override awaiting a second moderator", "blue"],
  DECLINED: ["Override declined", "neutral"],
} as const;
const APPEAL_STATUS = {
  OPEN: ["Open", "blue"],
  ACCEPTED: ["Accepted", "green"],
  REJECTED: ["Rejected", "neutral"],
} as const;

type Props = { decisions: StoryDecision[]; appeals: StoryAppeal[] };

export function LabelHistory({ decisions, appeals }: Props) {
  if (decisions.length === 0 && appeals.length === 0) return <p className="text-muted">No decisions or appeals yet.</p>;
  return (
    <ol aria-label="Decisions and appeals" className="space-y-2 text-sm" data-testid="label-history">
      {merge(decisions, appeals).map((item) =>
        item.kind === "decision" ? (
          <li key={item.record.id} className="rounded border border-gray-200 bg-white p-3">
            <p>
              <Badge tone={DECISION_STATUS[item.record.status][1]}>{DECISION_STATUS[item.record.status][0]}</Badge>{" "}
              <strong>{item.record.label}</strong>
              {item.record.isOverride && " (override)"} by <ActorName actor={item.record.moderator} />,{" "}
              {formatInstant(item.record.createdAt)}
            </p>
          </li>
        ) : (
          <li key={item.record.id} className="rounded border border-gray-200 bg-white p-3">
            <p>
              <Badge tone={APPEAL_STATUS[item.record.status][1]}>Appeal: {APPEAL_STATUS[item.record.status][0]}</Badge>{" "}
              filed by <ActorName actor={item.record.appellant} />, {formatInstant(item.record.createdAt)}
            </p>
            {item.record.resolvedAt && (
              <p className="mt-1">
                Resolved by {item.record.resolvedBy ? <ActorName actor={item.record.resolvedBy} /> : "a moderator"},{" "}
                {formatInstant(item.record.resolvedAt)}
                {item.record.resolution && `: ${item.record.resolution}`}
              </p>
            )}
          </li>
        ),
      )}
    </ol>
  );
}

type Item = { kind: "decision"; at: Date; record: StoryDecision } | { kind: "appeal"; at: Date; record: StoryAppeal };

function merge(decisions: StoryDecision[], appeals: StoryAppeal[]): Item[] {
  const items: Item[] = [
    ...decisions.map((record) => ({ kind: "decision" as const, at: record.createdAt, record })),
    ...appeals.map((record) => ({ kind: "appeal" as const, at: record.createdAt, record })),
  ];
  // Stable sort: a decision and an appeal at the same instant keep decisions first.
  return items.sort((a, b) => a.at.getTime() - b.at.getTime());
}
