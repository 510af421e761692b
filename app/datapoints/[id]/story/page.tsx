import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { STATUS_LABEL } from "@/components/datapoints/labels";
import { DecisionRecord } from "@/components/story/DecisionRecord";
import { LabelHistory } from "@/components/story/LabelHistory";
import { StoryTimeline } from "@/components/story/StoryTimeline";
import { getStory, STORY_LIMIT } from "@/lib/audit/views/data";
import { auditHref, parseDatapointId } from "@/lib/audit/views/schema";
import { getDatapoint } from "@/lib/datapoints/data";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const datapoint = await getDatapoint((await params).id);
  return { title: datapoint ? `How “${datapoint.title}” was decided` : "Datapoint not found" };
}

export default async function StoryPage({ params }: Props) {
  // A malformed id is simply not found, like an unknown one.
  const id = parseDatapointId((await params).id);
  const story = id ? await getStory(id) : null;
  if (!story) notFound();
  const { datapoint, events } = story;
  const inForce = story.decisions.findLast((d) => d.status === "FINAL");
  return (
    <div className="space-y-8">
      <header className="space-y-2">
        <p className="text-sm">
          <Link href={`/datapoints/${datapoint.id}`} className="text-accent underline-offset-2 hover:underline">
            ← {datapoint.title}
          </Link>
        </p>
        <h1 className="text-2xl font-bold">How this label was decided</h1>
        <p className="max-w-3xl text-muted">
          The whole story of this datapoint as the public audit log records it, in order. Every event links to the proof
          that it is in the log; comment texts live outside the log, which keeps only their hashes.
        </p>
        <p className="text-sm">
          {STATUS_LABEL[datapoint.status]}
          {datapoint.finalLabel && ` · final label: ${datapoint.finalLabel}`} · batch {datapoint.batch.title}
        </p>
      </header>

      <section aria-labelledby="final" className="space-y-2">
        <h2 id="final" className="text-xl font-semibold">
          Final decision
        </h2>
        <DecisionRecord decision={inForce} />
      </section>

      <section aria-labelledby="history" className="space-y-2">
        <h2 id="history" className="text-xl font-semibold">
          Label history
        </h2>
        <LabelHistory decisions={story.decisions} appeals={story.appeals} />
      </section>

      <section aria-labelledby="events" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="events" className="text-xl font-semibold">
            Events in the log
          </h2>
          <Link
            href={auditHref({ datapoint: datapoint.id })}
            className="text-sm text-accent underline-offset-2 hover:underline"
          >
            These events in the audit log
          </Link>
        </div>
        {story.truncated && (
          <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
            This datapoint has more than {STORY_LIMIT.toLocaleString("en")} events; the first{" "}
            {STORY_LIMIT.toLocaleString("en")} are shown here, and the audit log pages through all of them.
          </p>
        )}
        <StoryTimeline events={events} comments={story.comments} />
      </section>
    </div>
  );
}
