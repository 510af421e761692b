"use client";

import { useActionState, useState } from "react";
import { idle } from "@/lib/forms/state";
import { castVoteAction } from "@/lib/votes/actions";

type Props = {
  datapointId: string;
  /** Ratings get a horizontal scale; pairwise and classification a list of choices. */
  kind: "PAIRWISE" | "RATING" | "CLASSIFICATION";
  question: string;
  options: { id: string; caption: string }[];
  rationaleRequired: boolean;
  current: { option: string; rationale: string | null } | null;
};

export function VoteForm({ datapointId, kind, question, options, rationaleRequired, current }: Props) {
  const [state, action, pending] = useActionState(castVoteAction, idle);
  const [option, setOption] = useState(current?.option ?? "");
  const [rationale, setRationale] = useState(current?.rationale ?? "");
  // One key per intended vote: a double click or a retry of the same submit reuses it.
  const [idempotencyKey, setKey] = useState(() => crypto.randomUUID());
  // After a recorded vote the next submit is a new intention: adjust the key during render
  // (React's pattern for state derived from a change) rather than in an effect.
  const [answered, setAnswered] = useState(state);
  if (answered !== state) {
    setAnswered(state);
    if (state.status === "ok") setKey(crypto.randomUUID());
  }

  return (
    <form action={action} className="space-y-3" aria-describedby="vote-help">
      <input type="hidden" name="datapointId" value={datapointId} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <fieldset className="space-y-1">
        <legend className="font-medium">{question}</legend>
        {kind === "RATING" ? (
          <div className="flex flex-wrap gap-1" data-testid="rating-scale">
            {options.map((o) => (
              <label
                key={o.id}
                className={`flex min-w-12 cursor-pointer flex-col items-center rounded border px-2 py-1 text-sm has-[:focus-visible]:outline-2 ${option === o.id ? "border-accent bg-blue-50" : "border-gray-300 bg-white"}`}
              >
                <input
                  type="radio"
                  name="option"
                  value={o.id}
                  checked={option === o.id}
                  onChange={() => setOption(o.id)}
                  required
                  className="sr-only"
                />
                <span className="text-lg font-semibold">{o.id}</span>
                <span className="max-w-24 text-center text-xs text-muted">{o.caption.replace(/^\d+( — )?/, "")}</span>
              </label>
            ))}
          </div>
        ) : (
          options.map((o) => (
            <label key={o.id} className="flex cursor-pointer items-center gap-2 rounded px-2 py-1 hover:bg-gray-50">
              <input
                type="radio"
                name="option"
                value={o.id}
                checked={option === o.id}
                onChange={() => setOption(o.id)}
                required
              />
              <span>{o.caption}</span>
            </label>
          ))
        )}
      </fieldset>
      <div className="space-y-1">
        <label htmlFor="rationale" className="block font-medium">
          Rationale {rationaleRequired ? "(required in this batch)" : "(optional)"}
        </label>
        <textarea
          id="rationale"
          name="rationale"
          rows={3}
          maxLength={2000}
          required={rationaleRequired}
          value={rationale}
          onChange={(e) => setRationale(e.target.value)}
          className="w-full rounded border border-gray-300 p-2"
        />
      </div>
      <p id="vote-help" className="text-sm text-muted">
        You can change your vote until voting closes. Every vote is recorded in the public audit log under your
        pseudonym.
      </p>
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-accent px-4 py-2 font-medium text-white disabled:opacity-60"
      >
        {pending ? "Saving…" : current ? "Change vote" : "Cast vote"}
      </button>
      {state.status === "ok" && (
        <p role="status" data-testid="vote-message" className="text-green-800">
          {state.message}
        </p>
      )}
      {state.status === "error" && (
        <p role="alert" data-testid="vote-error" className="text-red-800">
          {state.message}
        </p>
      )}
    </form>
  );
}
