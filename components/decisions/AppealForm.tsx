import { ActionForm } from "@/components/ui/ActionForm";
import { fileAppealAction } from "@/lib/decisions/actions";

export function AppealForm({ datapointId }: { datapointId: string }) {
  return (
    <details className="rounded border border-gray-200 bg-white p-3 text-sm">
      <summary className="cursor-pointer font-medium text-accent">Appeal this label</summary>
      <ActionForm action={fileAppealAction} testId="appeal" submitLabel="File appeal" pendingLabel="Filing…">
        <input type="hidden" name="datapointId" value={datapointId} />
        <label htmlFor="appeal-reason" className="block font-medium">
          Why should the label be reconsidered?
        </label>
        <textarea
          id="appeal-reason"
          name="reason"
          rows={3}
          minLength={20}
          required
          className="w-full rounded border border-gray-300 p-2"
        />
      </ActionForm>
    </details>
  );
}
