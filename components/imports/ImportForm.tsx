"use client";
// The upload form: like components/ui/ActionForm, but its state also carries the import's
// report, shown under the form as a summary or a table of lines.
import { startTransition, useActionState, useState } from "react";
import { idle } from "@/lib/forms/state";
import { importUploadAction, type ImportFormState } from "@/lib/imports/actions";
import { MAX_IMPORT_BYTES, UPLOAD_TOO_LARGE } from "@/lib/imports/rules";
import { ImportReportView } from "./ImportReportView";

export function ImportForm() {
  const [state, formAction, pending] = useActionState<ImportFormState, FormData>(importUploadAction, idle);
  // Checked here too: Next refuses an oversized server-action body before the action runs,
  // which would surface as an error page instead of a sentence.
  const [localError, setLocalError] = useState<string | null>(null);
  const error = localError ?? (state.status === "error" ? state.message : null);

  return (
    <div className="space-y-4">
      <form
        action={formAction}
        onSubmit={(event) => {
          event.preventDefault();
          const formData = new FormData(event.currentTarget);
          const file = formData.get("file");
          if (file instanceof File && file.size > MAX_IMPORT_BYTES) return setLocalError(UPLOAD_TOO_LARGE);
          setLocalError(null);
          startTransition(() => formAction(formData));
        }}
        className="space-y-2"
      >
        <fieldset disabled={pending} className="contents">
          <label htmlFor="import-file" className="block text-sm font-medium">
            JSONL file
          </label>
          <input
            id="import-file"
            name="file"
            type="file"
            accept=".jsonl,.ndjson,application/jsonl,application/x-ndjson"
            required
            className="block text-sm"
          />
        </fieldset>
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-accent px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60"
        >
          {pending ? "Importing…" : "Import"}
        </button>
        <p role="status" data-testid="import-message" className="text-sm text-green-800">
          {!localError && state.status === "ok" ? state.message : ""}
        </p>
        {error && (
          <p role="alert" data-testid="import-error" className="text-sm text-red-800">
            {error}
          </p>
        )}
      </form>
      {!localError && state.report && <ImportReportView report={state.report} />}
    </div>
  );
}
