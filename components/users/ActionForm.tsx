"use client";

import { useActionState } from "react";
import { idle, type FormState } from "@/lib/forms/state";

type Props = {
  action: (previous: FormState, form: FormData) => Promise<FormState>;
  children: React.ReactNode;
  className?: string;
  /** Distinguishes this form's messages in tests and for assistive technology. */
  testId: string;
};

/** A server-action form that shows the action's outcome as a status or an alert. */
export function ActionForm({ action, children, className, testId }: Props) {
  const [state, formAction, pending] = useActionState(action, idle);
  return (
    <form action={formAction} className={className}>
      <fieldset disabled={pending} className="contents">
        {children}
      </fieldset>
      {state.status === "ok" && <p role="status" data-testid={`${testId}-message`} className="text-green-800">{state.message}</p>}
      {state.status === "error" && <p role="alert" data-testid={`${testId}-error`} className="text-red-800">{state.message}</p>}
    </form>
  );
}
