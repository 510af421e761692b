// The list of datapoints shared by the home page and the browse results. Its markup (a
// <ul aria-label="Datapoints">, one link per item) is what e2e tests select by.
import Link from "next/link";
import { Badge } from "@/components/ui/Badge";
import type { DatapointListItem } from "@/lib/datapoints/data";
import { formatDate } from "@/lib/domain/time";
import { KIND_LABEL, STATUS_LABEL } from "./labels";

export function DatapointList({ items, at }: { items: DatapointListItem[]; at: Date }) {
  if (items.length === 0) return <p className="text-muted">No datapoints are published yet.</p>;
  return (
    <ul className="divide-y divide-gray-200 rounded-lg border border-gray-200 bg-white" aria-label="Datapoints">
      {items.map((d) => (
        <li key={d.id} className="flex flex-col gap-2 p-4 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0 space-y-1">
            <h3 className="font-medium">
              <Link href={`/datapoints/${d.id}`} className="text-accent underline-offset-2 hover:underline">
                {d.title}
              </Link>
            </h3>
            <p className="text-sm text-muted">{d.batch.title}</p>
            <p className="text-sm text-muted">
              {d.commentCount === 1 ? "1 comment" : `${d.commentCount} comments`} ·{" "}
              {d.batch.closesAt > at ? "Closes " : "Closed "}
              <time dateTime={d.batch.closesAt.toISOString()}>{formatDate(d.batch.closesAt)}</time>
            </p>
          </div>
          <div className="flex shrink-0 flex-wrap gap-2 sm:justify-end">
            <Badge tone="blue">{KIND_LABEL[d.kind]}</Badge>
            <Badge>{d.category}</Badge>
            <Badge tone={d.status === "OPEN" || d.status === "REOPENED" ? "green" : "amber"}>
              {STATUS_LABEL[d.status]}
            </Badge>
          </div>
        </li>
      ))}
    </ul>
  );
}
