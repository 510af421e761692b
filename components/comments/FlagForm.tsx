"use client";
import { useId } from "react";
import { flagCommentAction, flagDatapointAction } from "@/lib/comments/actions";
import { ActionForm } from "@/components/ui/ActionForm";
import { FLAG_REASON_LABEL } from "./labels";

// Mirrors lib/comments/schema.ts, which is not imported here: it would ship zod to the browser.
const NOTE_MAX_LENGTH = 1_000;

/** Flag a comment or a datapoint for moderators, with a reason and an optional note. */
export function FlagForm({ target, id }: { target: "comment" | "datapoint"; id: string }) {
  const fieldId = useId();
  return (
    <ActionForm
      testId={`flag-${target}`}
      action={target === "comment" ? flagCommentAction : flagDatapointAction}
      submitLabel={target === "comment" ? "Flag comment" : "Flag datapoint"}
      pendingLabel="Sending…"
    >
      <input type="hidden" name="id" value={id} />
      <div>
        <label htmlFor={`${fieldId}-reason`} className="block text-sm font-medium">
          Reason
        </label>
        <select
          id={`${fieldId}-reason`}
          name="reason"
          defaultValue=""
          className="mt-1 block w-full max-w-sm rounded border border-gray-300 bg-white p-1.5 text-sm"
        >
          <option value="" disabled>
            Choose a reason…
          </option>
          {Object.entries(FLAG_REASON_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${fieldId}-note`} className="block text-sm font-medium">
          Note for moderators (optional)
        </label>
        <input
          id={`${fieldId}-note`}
          name="note"
          type="text"
          maxLength={NOTE_MAX_LENGTH}
          className="mt-1 block w-full max-w-xl rounded border border-gray-300 bg-white p-1.5 text-sm"
        />
      </div>
    </ActionForm>
  );
}
