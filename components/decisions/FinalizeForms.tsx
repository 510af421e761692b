import { ActionForm } from "@/components/ui/ActionForm";
import { finalizeAction } from "@/lib/decisions/actions";
import { OVERRIDE_REASONS } from "@/lib/domain/schema";
import type { LabelOption } from "@/lib/datapoints/rules";

type Props = { datapointId: string; options: LabelOption[]; decidedOption: string | null };

/** Accept the tally's outcome, or override it with a reason code (a second moderator confirms). */
export function FinalizeForms({ datapointId, options, decidedOption }: Props) {
  const caption = (id: string) => options.find((o) => o.id === id)?.caption ?? id;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <section aria-labelledby="accept" className="rounded border border-gray-200 bg-white p-3">
        <h3 id="accept" className="font-semibold">
          Accept the tally
        </h3>
        {decidedOption ? (
          <ActionForm
            action={finalizeAction}
            testId="accept"
            submitLabel={`Finalize “${caption(decidedOption)}”`}
            pendingLabel="Finalizing…"
          >
            <input type="hidden" name="mode" value="accept" />
            <input type="hidden" name="datapointId" value={datapointId} />
            <label htmlFor="accept-rationale" className="block text-sm font-medium">
              Rationale (published)
            </label>
            <textarea
              id="accept-rationale"
              name="rationale"
              rows={3}
              className="w-full rounded border border-gray-300 p-2 text-sm"
            />
          </ActionForm>
        ) : (
          <p className="text-sm text-muted">The tally has not decided a label; only an override can set one.</p>
        )}
      </section>
      <section aria-labelledby="override" className="rounded border border-amber-300 bg-amber-50 p-3">
        <h3 id="override" className="font-semibold">
          Override the tally
        </h3>
        <p className="text-sm">Takes effect only when a second moderator confirms it.</p>
        <ActionForm
          action={finalizeAction}
          testId="override"
          submitLabel="Propose override"
          pendingLabel="Proposing…"
          tone="danger"
        >
          <input type="hidden" name="mode" value="override" />
          <input type="hidden" name="datapointId" value={datapointId} />
          <label htmlFor="override-label" className="block text-sm font-medium">
            Label
          </label>
          <select
            id="override-label"
            name="label"
            defaultValue=""
            className="w-full rounded border border-gray-300 p-1.5 text-sm"
          >
            <option value="" disabled>
              Choose a label…
            </option>
            {options
              .filter((o) => o.id !== decidedOption)
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.caption}
                </option>
              ))}
          </select>
          <label htmlFor="override-reason" className="block text-sm font-medium">
            Reason
          </label>
          <select
            id="override-reason"
            name="overrideReason"
            defaultValue=""
            className="w-full rounded border border-gray-300 p-1.5 text-sm"
          >
            <option value="" disabled>
              Choose a reason…
            </option>
            {OVERRIDE_REASONS.map((r) => (
              <option key={r} value={r}>
                {r.toLowerCase().replaceAll("_", " ")}
              </option>
            ))}
          </select>
          <label htmlFor="override-rationale" className="block text-sm font-medium">
            Rationale (published)
          </label>
          <textarea
            id="override-rationale"
            name="rationale"
            rows={3}
            className="w-full rounded border border-gray-300 p-2 text-sm"
          />
        </ActionForm>
      </section>
    </div>
  );
}
