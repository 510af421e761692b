import type { Metadata } from "next";
import { DatapointList } from "@/components/datapoints/DatapointList";
import { listDatapoints } from "@/lib/datapoints/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Datapoints" };

export default async function DatapointsPage({ searchParams }: { searchParams: Promise<{ batch?: string | string[] }> }) {
  const { batch } = await searchParams;
  const batchSlug = typeof batch === "string" ? batch : undefined;
  const datapoints = await listDatapoints({ batchSlug, take: 200 });
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Datapoints{batchSlug ? ` in ${datapoints[0]?.batch.title ?? batchSlug}` : ""}</h1>
      <DatapointList datapoints={datapoints} />
    </div>
  );
}
