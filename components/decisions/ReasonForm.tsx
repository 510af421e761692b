import { ActionForm } from "@/components/ui/ActionForm";
import type { FormState } from "@/lib/forms/state";

type Props = {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  hidden: Record<string, string>;
  label: string;
  submitLabel: string;
  testId: string;
  tone?: "primary" | "danger";
  /** The text field's name: what the action reads. */
  field?: "reason" | "rationale";
};

/** A one-field moderation form: hidden ids plus the reason that is published with the step. */
export function ReasonForm({ action, hidden, label, submitLabel, testId, tone, field = "reason" }: Props) {
  const id = `${testId}-reason`;
  return (
    <ActionForm action={action} testId={testId} submitLabel={submitLabel} tone={tone}>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input id={id} name={field} className="w-full rounded border border-gray-300 p-1.5 text-sm" />
    </ActionForm>
  );
}
