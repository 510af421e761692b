import Link from "next/link";
import { Badge } from "@/components/ui/Badge";
import { KIND_LABEL, STATUS_LABEL } from "./labels";

type Item = {
  id: string;
  title: string;
  kind: keyof typeof KIND_LABEL;
  category: string;
  status: keyof typeof STATUS_LABEL;
  batch: { title: string };
};

export function DatapointList({ datapoints }: { datapoints: Item[] }) {
  if (datapoints.length === 0) return <p className="text-muted">No datapoints are published yet.</p>;
  return (
    <ul className="divide-y divide-gray-200 rounded-lg border border-gray-200 bg-white" aria-label="Datapoints">
      {datapoints.map((d) => (
        <li key={d.id} className="flex flex-col gap-1 p-4 sm:flex-row sm:items-center sm:justify-between">
          <div>
            <Link href={`/datapoints/${d.id}`} className="font-medium text-accent underline-offset-2 hover:underline">
              {d.title}
            </Link>
            <p className="text-sm text-muted">{d.batch.title}</p>
          </div>
          <div className="flex flex-wrap gap-2">
            <Badge tone="blue">{KIND_LABEL[d.kind]}</Badge>
            <Badge>{d.category}</Badge>
            <Badge tone={d.status === "OPEN" ? "green" : "amber"}>{STATUS_LABEL[d.status]}</Badge>
          </div>
        </li>
      ))}
    </ul>
  );
}
