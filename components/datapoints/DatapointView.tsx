import Link from "next/link";
import { Badge } from "@/components/ui/Badge";
import type { OptionsView } from "@/lib/datapoints/rules";
import { formatDate } from "@/lib/domain/time";
import { KIND_LABEL, STATUS_LABEL } from "./labels";

type Props = {
  datapoint: {
    id: string;
    title: string;
    kind: keyof typeof KIND_LABEL;
    category: string;
    status: keyof typeof STATUS_LABEL;
    prompt: string;
    context: string | null;
    responses: { id: string; text: string }[];
    proposedLabel: string;
    proposedLabelSource: string;
    contentHash: string;
    batch: { title: string; closesAt: Date; policy: { name: string; version: number } };
  };
  options: OptionsView;
};

export function DatapointView({ datapoint: d, options }: Props) {
  const proposed = options.options.find((o) => o.id === d.proposedLabel);
  return (
    <article className="space-y-6">
      <header className="space-y-2">
        <div className="flex flex-wrap gap-2">
          <Badge tone="blue">{KIND_LABEL[d.kind]}</Badge>
          <Badge>{d.category}</Badge>
          <Badge tone={d.status === "OPEN" ? "green" : "amber"}>{STATUS_LABEL[d.status]}</Badge>
        </div>
        <h1 className="text-2xl font-bold">{d.title}</h1>
        <p className="text-sm text-muted">
          {d.batch.title} · policy {d.batch.policy.name} v{d.batch.policy.version} · voting closes{" "}
          {formatDate(d.batch.closesAt)}
        </p>
        <Link
          href={`/datapoints/${d.id}/story`}
          className="inline-block text-sm text-accent underline-offset-2 hover:underline"
        >
          How this label was decided →
        </Link>
      </header>

      {d.context && (
        <section aria-labelledby="context">
          <h2 id="context" className="text-sm font-semibold uppercase tracking-wide text-muted">
            Earlier conversation
          </h2>
          <p className="mt-1 whitespace-pre-wrap rounded border border-gray-200 bg-gray-50 p-3 text-sm">{d.context}</p>
        </section>
      )}

      <section aria-labelledby="prompt">
        <h2 id="prompt" className="text-sm font-semibold uppercase tracking-wide text-muted">
          Prompt
        </h2>
        <p className="mt-1 whitespace-pre-wrap rounded border border-gray-200 bg-white p-3">{d.prompt}</p>
      </section>

      <section aria-labelledby="responses">
        <h2 id="responses" className="text-sm font-semibold uppercase tracking-wide text-muted">
          {d.responses.length > 1 ? "Candidate responses" : "Response"}
        </h2>
        <div className={`mt-1 grid gap-4 ${d.responses.length > 1 ? "md:grid-cols-2" : ""}`}>
          {d.responses.map((r) => (
            <section key={r.id} aria-label={`Response ${r.id}`} className="rounded border border-gray-200 bg-white p-3">
              <h3 className="mb-2 font-semibold">Response {r.id}</h3>
              <p className="whitespace-pre-wrap break-words text-sm leading-relaxed">{r.text}</p>
            </section>
          ))}
        </div>
      </section>

      <section aria-labelledby="label" className="grid gap-4 md:grid-cols-2">
        <div className="rounded border border-gray-200 bg-white p-3">
          <h2 id="label" className="font-semibold">
            Proposed label
          </h2>
          <p className="mt-1">{proposed ? proposed.caption : d.proposedLabel}</p>
          <p className="mt-1 text-sm text-muted">Source: {d.proposedLabelSource}</p>
        </div>
        <div className="rounded border border-gray-200 bg-white p-3">
          <h2 className="font-semibold">Label options</h2>
          <p className="mt-1 text-sm text-muted">{options.question}</p>
          <ul className="mt-1 list-disc pl-5 text-sm">
            {options.options.map((o) => (
              <li key={o.id}>{o.caption}</li>
            ))}
          </ul>
        </div>
      </section>

      <p className="break-all text-xs text-muted">Content hash (SHA-256): {d.contentHash}</p>
    </article>
  );
}
