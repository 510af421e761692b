import Link from "next/link";
import { DatapointList } from "@/components/datapoints/DatapointList";
import { listDatapoints, listOpenBatches } from "@/lib/datapoints/data";
import { formatDate } from "@/lib/domain/time";

export const dynamic = "force-dynamic";

export default async function HomePage({ searchParams }: { searchParams: Promise<{ account?: string }> }) {
  const now = new Date();
  const [batches, datapoints, { account }] = await Promise.all([
    listOpenBatches(now),
    listDatapoints({ take: 12 }),
    searchParams,
  ]);
  return (
    <div className="space-y-10">
      {account === "deleted" && (
        <p role="status" className="rounded bg-green-50 p-3 text-green-900">
          Your account was deleted. Your votes and comments remain under your pseudonym.
        </p>
      )}
      <section className="space-y-3">
        <h1 className="text-3xl font-bold tracking-tight">Decide, in public, what AI should learn from</h1>
        <p className="max-w-3xl text-muted">
          Plenary publishes candidate training datapoints for AI alignment — a prompt, candidate responses and a
          proposed label — for anyone to read, discuss and vote on. Moderators finalize each label, and every step is
          recorded in a tamper-evident audit log that researchers can download and check.
        </p>
      </section>

      <section aria-labelledby="how" className="rounded-lg border border-gray-200 bg-white p-5">
        <h2 id="how" className="text-lg font-semibold">
          How labels are decided
        </h2>
        <ol className="mt-2 list-decimal space-y-1 pl-5 text-muted">
          <li>A batch of candidate datapoints is published with a proposed label and where that label came from.</li>
          <li>While the batch is open, citizens discuss each datapoint and vote, with a rationale.</li>
          <li>Votes are tallied under the batch&apos;s published voting policy (weighted and unweighted).</li>
          <li>
            A moderator finalizes the label with a rationale; overriding the public result needs a reason and a second
            moderator.
          </li>
          <li>Every step is an entry in the hash-chained audit log, so anyone can recompute the label.</li>
        </ol>
      </section>

      <section aria-labelledby="batches" className="space-y-3">
        <h2 id="batches" className="text-xl font-semibold">
          Open batches
        </h2>
        {batches.length === 0 ? (
          <p className="text-muted">No batch is open for voting right now.</p>
        ) : (
          <ul className="grid gap-4 md:grid-cols-3">
            {batches.map((b) => (
              <li key={b.id} className="rounded-lg border border-gray-200 bg-white p-4">
                <h3 className="font-semibold">
                  <Link href={`/datapoints?batch=${b.slug}`} className="text-accent underline-offset-2 hover:underline">
                    {b.title}
                  </Link>
                </h3>
                <p className="mt-1 line-clamp-3 text-sm text-muted">{b.description}</p>
                <p className="mt-2 text-sm">
                  {b.datapointCount} datapoints ·{" "}
                  <Link href={`/batches/${b.slug}`} className="underline">
                    policy {b.policy.name} v{b.policy.version}
                  </Link>
                </p>
                <p className="text-sm text-muted">Closes {formatDate(b.closesAt)}</p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="recent" className="space-y-3">
        <h2 id="recent" className="text-xl font-semibold">
          Recently published
        </h2>
        <DatapointList items={datapoints} at={now} />
        <Link href="/datapoints" className="inline-block text-accent underline-offset-2 hover:underline">
          All datapoints
        </Link>
      </section>
    </div>
  );
}
