"use client";
// The frame of every server-action form: runs the action, shows its sentence, and keeps
// what the person typed when the action refuses.
import { startTransition, useActionState, useState } from "react";
import { idle, type FormState } from "@/lib/forms/state";

const BUTTON = {
  primary: "bg-accent text-white",
  danger: "bg-red-700 text-white",
} as const;

type Props = {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  /** The submit button's label; without it the children bring their own button. */
  submitLabel?: string;
  pendingLabel?: string;
  tone?: keyof typeof BUTTON;
  /** Names the outcome elements: `${testId}-message` and `${testId}-error`. */
  testId: string;
  className?: string;
  /** The form's fields; they start afresh after a success and are kept after an error. */
  children?: React.ReactNode;
};

export function ActionForm({
  action,
  submitLabel,
  pendingLabel,
  tone = "primary",
  testId,
  className = "mt-2 space-y-2",
  children,
}: Props) {
  const [state, formAction, pending] = useActionState(action, idle);
  // Fields remount (back to their defaults) once per successful submission: the state is
  // compared during render, as React recommends over an effect, to count successes.
  const [seen, setSeen] = useState(state);
  const [generation, setGeneration] = useState(0);
  if (seen !== state) {
    setSeen(state);
    if (state.status === "ok") setGeneration((g) => g + 1);
  }

  return (
    <form
      // Without JavaScript yet (before hydration) the browser posts to the server action.
      action={formAction}
      onSubmit={(event) => {
        // Dispatch ourselves instead of letting React run the form action: React resets
        // every field after a form action, which would throw away the text on an error.
        event.preventDefault();
        const formData = new FormData(event.currentTarget);
        startTransition(() => formAction(formData));
      }}
      className={className}
    >
      <fieldset key={generation} disabled={pending} className="contents">
        {children}
      </fieldset>
      {submitLabel && (
        <button
          type="submit"
          disabled={pending}
          className={`rounded px-3 py-1.5 text-sm font-medium disabled:opacity-60 ${BUTTON[tone]}`}
        >
          {pending ? (pendingLabel ?? submitLabel) : submitLabel}
        </button>
      )}
      {/* The status region exists before it speaks, so its changes are announced; an alert is announced as it appears. */}
      <p role="status" data-testid={`${testId}-message`} className="text-sm text-green-800">
        {state.status === "ok" ? state.message : ""}
      </p>
      {state.status === "error" && (
        <p role="alert" data-testid={`${testId}-error`} className="text-sm text-red-800">
          {state.message}
        </p>
      )}
    </form>
  );
}
