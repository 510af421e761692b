import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/Badge";
import { listPolicies } from "@/lib/voting-policies/data";
import { formatDate } from "@/lib/domain/time";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Voting policies" };

export default async function PoliciesPage() {
  const policies = await listPolicies();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Voting policies</h1>
      <p className="max-w-3xl text-muted">
        A voting policy says how votes are weighed and when a tally decides a label. Each is a published, versioned JSON
        document referenced by its SHA-256 hash, so anyone can recompute a tally offline with exactly the rules used:
        the document states the parameters, and the{" "}
        <Link href="/policies/specification" className="text-accent underline">
          tally specification
        </Link>{" "}
        it names states the algorithms.
      </p>
      <ul className="space-y-3" aria-label="Policies">
        {policies.map((p) => (
          <li key={p.contentHash} className="rounded-lg border border-gray-200 bg-white p-4">
            <h2 className="font-semibold">
              <Link href={`/policies/${p.contentHash}`} className="text-accent underline-offset-2 hover:underline">
                {p.name} v{p.version}
              </Link>{" "}
              <Badge>{p.kind.toLowerCase().replace("_", "-")}</Badge>
            </h2>
            <p className="mt-1">{p.description}</p>
            <p className="mt-1 text-sm text-muted">
              Published {formatDate(p.publishedAt)} · used by{" "}
              {p.batchCount === 1 ? "1 batch" : `${p.batchCount} batches`}
            </p>
            <p className="break-all text-xs text-muted">SHA-256 {p.contentHash}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
