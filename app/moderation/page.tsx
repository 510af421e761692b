import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ReasonForm } from "@/components/decisions/ReasonForm";
import { ActionForm } from "@/components/ui/ActionForm";
import { currentUser } from "@/lib/auth/session";
import { closeBatchAction } from "@/lib/batches/actions";
import { moderationQueue } from "@/lib/decisions/data";
import { hideCommentAction, keepCommentAction } from "@/lib/moderation/actions";
import { personLabel } from "@/lib/users/names/rules";
import { canModerate } from "@/lib/users/policy";
import { formatDate } from "@/lib/domain/time";
import { isSlug } from "@/lib/domain/schema";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Moderation queue" };

const STATE = {
  DECIDED: "Tally decided",
  UNDECIDED: "No decision (contested or short of quorum)",
  REOPENED: "Reopened on appeal",
  FLAGGED: "Flagged while open",
} as const;

export default async function ModerationPage({
  searchParams,
}: {
  searchParams: Promise<{ batch?: string | string[] }>;
}) {
  const user = await currentUser();
  if (!user) redirect("/signin?callbackUrl=/moderation");
  if (!canModerate(user)) {
    return (
      <p role="alert" className="text-red-800">
        Only moderators can open the moderation queue.
      </p>
    );
  }
  const { batch } = await searchParams;
  const batchSlug = typeof batch === "string" && isSlug(batch) ? batch : undefined;
  // Reading only: scheduled openings and closings are applied by every instance's lifecycle
  // scheduler (every 5 s, lib/batches/lifecycle/schedule.ts), not by rendering a GET.
  const queue = await moderationQueue(batchSlug);
  const now = new Date();
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-bold">Moderation queue</h1>
      <form method="get" className="flex flex-wrap items-end gap-2">
        <div className="min-w-0 max-w-full">
          <label htmlFor="batch" className="block text-sm font-medium">
            Batch
          </label>
          <select
            id="batch"
            name="batch"
            defaultValue={batchSlug ?? ""}
            className="w-full max-w-full rounded border border-gray-300 p-2"
          >
            <option value="">All batches</option>
            {queue.batches.map((b) => (
              <option key={b.slug} value={b.slug}>
                {b.title}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded border border-gray-300 bg-white px-3 py-2">
          Filter
        </button>
      </form>

      <section aria-labelledby="ready" className="space-y-2">
        <h2 id="ready" className="text-lg font-semibold">
          Datapoints by readiness
        </h2>
        {queue.items.length === 0 ? (
          <p className="text-muted">Nothing waits for a decision.</p>
        ) : (
          <ol className="divide-y divide-gray-200 rounded-lg border border-gray-200 bg-white" aria-label="Queue">
            {queue.items.map((item) => (
              <li key={item.id} className="flex flex-wrap items-baseline justify-between gap-2 p-3">
                <div>
                  <Link href={`/moderation/datapoints/${item.id}`} className="font-medium text-accent underline">
                    {item.title}
                  </Link>
                  <p className="text-sm text-muted">
                    {item.batch} · closes {formatDate(item.closesAt)}
                  </p>
                </div>
                <p className="text-sm">
                  {STATE[item.state]}
                  {item.tally && ` · ${item.tally.votes} votes`}
                  {item.openFlags > 0 && ` · ${item.openFlags} open flag${item.openFlags === 1 ? "" : "s"}`}
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="overrides" className="space-y-2">
        <h2 id="overrides" className="text-lg font-semibold">
          Overrides awaiting a second moderator
        </h2>
        {queue.overrides.length === 0 ? (
          <p className="text-muted">None.</p>
        ) : (
          <ul className="list-disc pl-5">
            {queue.overrides.map((o) => (
              <li key={o.id}>
                <Link href={`/moderation/datapoints/${o.datapoint.id}`} className="text-accent underline">
                  {o.datapoint.title}
                </Link>
                : {personLabel(o.proposer)} proposes “{o.label}”
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="appeals" className="space-y-2">
        <h2 id="appeals" className="text-lg font-semibold">
          Appeals
        </h2>
        {queue.appeals.length === 0 ? (
          <p className="text-muted">None.</p>
        ) : (
          <ul className="list-disc pl-5">
            {queue.appeals.map((a) => (
              <li key={a.id}>
                <Link href={`/moderation/datapoints/${a.datapoint.id}`} className="text-accent underline">
                  {a.datapoint.title}
                </Link>
                : appeal by {personLabel(a.appellant)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="flagged" className="space-y-2">
        <h2 id="flagged" className="text-lg font-semibold">
          Flagged comments
        </h2>
        {queue.flaggedComments.length === 0 ? (
          <p className="text-muted">None.</p>
        ) : (
          <ul className="space-y-3">
            {queue.flaggedComments.map((c) => (
              <li
                key={c.id}
                className="rounded border border-gray-200 bg-white p-3 text-sm"
                data-testid={`flagged-${c.id}`}
              >
                <p>
                  By {personLabel(c.author)} on{" "}
                  <Link href={`/datapoints/${c.datapoint.id}#comment-${c.id}`} className="text-accent underline">
                    {c.datapoint.title}
                  </Link>{" "}
                  · flags: {c.reasons.map((r) => r.toLowerCase().replaceAll("_", " ")).join(", ")}
                  {c.hiddenAt && ` · hidden (${c.hiddenReason})`}
                </p>
                <blockquote className="mt-1 border-l-4 border-gray-200 pl-2 whitespace-pre-wrap">
                  {c.body.slice(0, 500)}
                </blockquote>
                <div className="mt-2 grid gap-2 md:grid-cols-2">
                  <ReasonForm
                    action={hideCommentAction}
                    hidden={{ commentId: c.id, datapointId: c.datapoint.id }}
                    label="Reason for hiding (shown to all)"
                    submitLabel="Hide comment"
                    testId={`hide-${c.id}`}
                    tone="danger"
                  />
                  <ReasonForm
                    action={keepCommentAction}
                    hidden={{ commentId: c.id, datapointId: c.datapoint.id }}
                    label="Reason for keeping it"
                    submitLabel="Keep comment"
                    testId={`keep-${c.id}`}
                  />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="close" className="space-y-2">
        <h2 id="close" className="text-lg font-semibold">
          Close voting early
        </h2>
        <ul className="space-y-2">
          {queue.batches
            .filter((b) => b.opensAt <= now && b.closesAt > now)
            .map((b) => (
              <li key={b.id}>
                <ActionForm
                  action={closeBatchAction}
                  testId={`close-${b.slug}`}
                  className="flex flex-wrap items-center gap-2"
                >
                  <input type="hidden" name="batchId" value={b.id} />
                  <span>
                    {b.title} (scheduled to close {formatDate(b.closesAt)})
                  </span>
                  <button type="submit" className="rounded border border-red-300 px-2 py-1 text-sm text-red-800">
                    Close voting now
                  </button>
                </ActionForm>
              </li>
            ))}
        </ul>
      </section>
    </div>
  );
}
