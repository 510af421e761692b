import type { Metadata } from "next";
import { AuditEventList } from "@/components/audit/AuditEventList";
import { AuditFilters } from "@/components/audit/AuditFilters";
import { AuditHead } from "@/components/audit/AuditHead";
import { AuditPager } from "@/components/audit/AuditPager";
import { findAuditEvents, getAuditHead } from "@/lib/audit/views/data";
import { auditHref, isFiltered, parseAuditQuery, type SearchParams } from "@/lib/audit/views/schema";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { query, problems } = parseAuditQuery(await searchParams);
  const { position, ...filters } = query;
  const [head, page] = await Promise.all([getAuditHead(), findAuditEvents(query)]);
  if (page.unknownActor) problems.push(`No account has the pseudonym “${query.actor}”, so no events match it.`);
  const first = page.events[0]?.seq;
  const last = page.events.at(-1)?.seq;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Audit log</h1>
      <p className="max-w-3xl text-muted">
        Every change on Plenary is an event in this append-only log. Each event&apos;s canonical JSON body is hashed
        into a leaf, and each leaf is chained to the one before it, so changing any past event would change the head
        below. People appear only by pseudonymous id in the bodies, and here by display name or pseudonym.
      </p>
      <section aria-labelledby="head" className="space-y-2">
        <h2 id="head" className="text-lg font-semibold">
          Head
        </h2>
        <AuditHead head={head} />
      </section>
      <AuditFilters query={query} />
      {problems.length > 0 && (
        <div role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
          <p className="font-medium">Part of this address could not be used:</p>
          <ul className="mt-1 list-disc space-y-1 pl-5">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      <section aria-labelledby="events" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="events" className="text-xl font-semibold">
            Events
          </h2>
          {first !== undefined && last !== undefined && (
            <p className="text-sm text-muted">
              {page.events.length === 1 ? `seq ${first}` : `seq ${first} down to ${last}`} · newest first
            </p>
          )}
        </div>
        {page.events.length === 0 ? (
          <p className="text-muted">
            {position
              ? "There are no events on this page."
              : isFiltered(filters)
                ? "No events match these filters."
                : "The log is empty."}
          </p>
        ) : (
          <AuditEventList events={page.events} datapoints={page.datapoints} />
        )}
        <AuditPager
          newestHref={position ? auditHref(filters) : null}
          newerHref={page.newerAfter !== null ? auditHref(filters, { after: page.newerAfter }) : null}
          olderHref={page.olderBefore !== null ? auditHref(filters, { before: page.olderBefore }) : null}
        />
      </section>
    </div>
  );
}
