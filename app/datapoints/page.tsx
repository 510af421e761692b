import type { Metadata } from "next";
import { DatapointFilters } from "@/components/datapoints/DatapointFilters";
import { DatapointResults } from "@/components/datapoints/DatapointResults";
import { countDatapoints, findDatapoints, listBatchChoices } from "@/lib/datapoints/data";
import { isFiltered, listHref, parseListQuery, type SearchParams } from "@/lib/datapoints/list-query";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Datapoints" };

export default async function DatapointsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { query, problems } = parseListQuery(await searchParams);
  const [batches, page, total] = await Promise.all([listBatchChoices(), findDatapoints(query), countDatapoints(query)]);
  const batch = batches.find((b) => b.slug === query.batch);
  if (query.batch && !batch) problems.push(`There is no public batch called “${query.batch}”.`);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{batch ? `Datapoints in ${batch.title}` : "Datapoints"}</h1>
      <DatapointFilters query={query} batches={batches} />
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
      <DatapointResults
        items={page.items}
        total={total}
        filtered={isFiltered(query)}
        at={page.at}
        nextHref={page.nextCursor ? listHref(query, page.nextCursor) : null}
        prevHref={page.prevCursor ? listHref(query, page.prevCursor) : null}
        // Not on the first page: there are rows before this one, or a link led past the end.
        firstHref={query.after && (page.prevCursor || page.items.length === 0) ? listHref(query) : null}
      />
    </div>
  );
}
