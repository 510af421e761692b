// The facts beside an event's sentence (hashes, labels, what a voter was shown).
import Link from "next/link";
import { Fragment } from "react";
import type { Fact } from "@/lib/audit/views/rules";
import { HashValue } from "./HashValue";

export function EventFacts({ facts }: { facts: Fact[] }) {
  if (facts.length === 0) return null;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm">
      {facts.map((fact) => (
        <Fragment key={fact.label}>
          <dt className="text-muted">{fact.label}</dt>
          <dd className="min-w-0">
            <FactValue fact={fact} />
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

function FactValue({ fact }: { fact: Fact }) {
  if (fact.kind === "hash") return <HashValue value={fact.value} label={fact.label.toLowerCase()} />;
  if (fact.kind === "policy") {
    return (
      <Link
        href={`/policies/${encodeURIComponent(fact.value)}`}
        className="font-mono text-xs text-accent underline-offset-2 hover:underline"
        title={fact.value}
      >
        {fact.value.slice(0, 12)}…<span className="sr-only"> (the policy document)</span>
      </Link>
    );
  }
  return <span>{fact.value}</span>;
}
