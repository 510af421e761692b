import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DatapointView } from "@/components/datapoints/DatapointView";
import { getDatapoint } from "@/lib/datapoints/data";
import { optionsView } from "@/lib/datapoints/rules";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const datapoint = await getDatapoint((await params).id);
  return { title: datapoint?.title ?? "Datapoint not found" };
}

export default async function DatapointPage({ params }: Props) {
  const datapoint = await getDatapoint((await params).id);
  if (!datapoint) notFound();
  return <DatapointView datapoint={datapoint} options={optionsView(datapoint.kind, datapoint.labelOptions)} />;
}
