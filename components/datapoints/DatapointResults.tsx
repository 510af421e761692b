// One page of the datapoint list with its count and page links.
import Link from "next/link";
import type { DatapointListItem } from "@/lib/datapoints/data";
import { DatapointList } from "./DatapointList";

type Props = {
  items: DatapointListItem[];
  total: number;
  filtered: boolean;
  /** When "open" and "closed" were judged, for the closing times shown. */
  at: Date;
  /** URLs of the neighbouring pages and of the first page; null where there is none. */
  nextHref: string | null;
  prevHref: string | null;
  firstHref: string | null;
};

const PAGE_LINK = "rounded border border-gray-300 bg-white px-3 py-1.5 text-sm text-accent hover:bg-gray-50";

export function DatapointResults({ items, total, filtered, at, nextHref, prevHref, firstHref }: Props) {
  return (
    <section aria-labelledby="results" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="results" className="text-xl font-semibold">
          Results
        </h2>
        <p className="text-sm text-muted">{countText(total, items.length, filtered)}</p>
      </div>
      {items.length === 0 ? (
        <Empty total={total} filtered={filtered} firstHref={firstHref} />
      ) : (
        <DatapointList items={items} at={at} />
      )}
      {(nextHref || prevHref || firstHref) && (
        <nav aria-label="Pages" className="flex flex-wrap gap-3">
          {firstHref && (
            <Link href={firstHref} className={PAGE_LINK}>
              First page
            </Link>
          )}
          {prevHref && (
            <Link href={prevHref} rel="prev" className={PAGE_LINK}>
              Previous page
            </Link>
          )}
          {nextHref && (
            <Link href={nextHref} rel="next" className={PAGE_LINK}>
              Next page
            </Link>
          )}
        </nav>
      )}
    </section>
  );
}

function countText(total: number, shown: number, filtered: boolean): string {
  const all = `${total} ${total === 1 ? "datapoint" : "datapoints"}${filtered ? (total === 1 ? " matches" : " match") : ""}`;
  return shown > 0 && shown < total ? `${all} · ${shown} on this page` : all;
}

function Empty({ total, filtered, firstHref }: { total: number; filtered: boolean; firstHref: string | null }) {
  // Rows on other pages but none here: a page link that outlived its rows.
  if (total > 0 && firstHref) {
    return <p className="text-muted">There are no more datapoints on this page; the first page still lists them.</p>;
  }
  if (filtered) {
    return (
      <p className="text-muted">
        No datapoints match these filters.{" "}
        <Link href="/datapoints" className="text-accent underline-offset-2 hover:underline">
          Show all datapoints
        </Link>
      </p>
    );
  }
  return <p className="text-muted">No datapoints are published yet.</p>;
}
