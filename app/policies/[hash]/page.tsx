import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getPolicyByHash } from "@/lib/voting-policies/data";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ hash: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const policy = await getPolicyByHash((await params).hash);
  return { title: policy ? `Policy ${policy.name} v${policy.version}` : "Policy not found" };
}

export default async function PolicyPage({ params }: Props) {
  const policy = await getPolicyByHash((await params).hash);
  if (!policy) notFound();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">
        Policy {policy.name} v{policy.version}
      </h1>
      <p className="max-w-3xl">{policy.description}</p>
      <p className="max-w-3xl text-sm" data-testid="policy-specification">
        Computed under the tally specification{" "}
        <Link href="/policies/specification" className="text-accent underline">
          {policy.specification}
        </Link>
        {policy.namesSpecification
          ? ", which the document names"
          : ": this document was published before documents named their specification, and the specification computes every such document under this first edition"}
        . The document holds the parameters and the specification the algorithms; together they determine every weight
        and outcome.
      </p>
      <p className="break-all text-sm text-muted">SHA-256 of the document below: {policy.contentHash}</p>
      {policy.batches.length > 0 && (
        <p className="text-sm">
          Used by:{" "}
          {policy.batches.map((b, i) => (
            <span key={b.slug}>
              {i > 0 && ", "}
              <Link href={`/batches/${b.slug}`} className="text-accent underline">
                {b.title}
              </Link>
            </span>
          ))}
        </p>
      )}
      <section aria-labelledby="document">
        <h2 id="document" className="font-semibold">
          Document (RFC 8785 canonical JSON, shown indented)
        </h2>
        <pre className="mt-1 overflow-x-auto rounded border border-gray-200 bg-white p-3 text-sm">
          {JSON.stringify(JSON.parse(policy.document), null, 2)}
        </pre>
        <p className="text-sm text-muted">
          The exact hashed text: <code className="break-all">{policy.document}</code>
        </p>
      </section>
    </div>
  );
}
