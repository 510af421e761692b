import type { labelHistory } from "@/lib/decisions/data";
import { personLabel } from "@/lib/users/names/rules";
import { formatDate } from "@/lib/domain/time";

type History = Awaited<ReturnType<typeof labelHistory>>;

const DECISION_STATUS = {
  FINAL: "final",
  SUPERSEDED: "superseded after an appeal",
  PENDING_CONFIRMATION: "override awaiting a second moderator",
  DECLINED: "override declined",
} as const;

export function LabelHistory({ history, captions }: { history: History; captions: Map<string, string> }) {
  if (history.decisions.length === 0 && history.appeals.length === 0) return null;
  return (
    <section aria-labelledby="label-history" className="space-y-2" data-testid="label-history">
      <h2 id="label-history" className="text-lg font-semibold">
        Label history
      </h2>
      <ol className="space-y-2">
        {history.decisions.map((d) => (
          <li key={d.id} className="rounded border border-gray-200 bg-white p-3 text-sm">
            <p>
              <strong>{captions.get(d.label) ?? d.label}</strong> — {DECISION_STATUS[d.status]} ·{" "}
              {formatDate(d.createdAt)} by {personLabel(d.moderator)}
              {d.isOverride && <> · override ({d.overrideReason?.toLowerCase().replaceAll("_", " ")})</>}
              {d.confirmedBy && <> · confirmed by {personLabel(d.confirmedBy)}</>}
            </p>
            <p className="mt-1 whitespace-pre-wrap text-muted">{d.rationale}</p>
          </li>
        ))}
        {history.appeals.map((a) => (
          <li key={a.id} className="rounded border border-amber-200 bg-amber-50 p-3 text-sm">
            <p>
              Appeal by {personLabel(a.appellant)}, {formatDate(a.createdAt)} —{" "}
              <strong>{a.status.toLowerCase()}</strong>
            </p>
            <p className="mt-1 whitespace-pre-wrap">{a.reason}</p>
            {a.resolution && <p className="mt-1 whitespace-pre-wrap text-muted">Moderator: {a.resolution}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
