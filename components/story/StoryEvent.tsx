// One event of a datapoint's story: what happened in a sentence, the facts the log holds,
// and for a comment its current public text (the log itself keeps only the body's hash).
import { EventFacts } from "@/components/audit/EventFacts";
import { EventMeta } from "@/components/audit/EventMeta";
import type { EventView } from "@/lib/audit/views/data";
import { commentText, type CommentNow } from "@/lib/audit/views/rules";

export function StoryEvent({ event, comment }: { event: EventView; comment: CommentNow | undefined }) {
  const shown = event.comment ? commentText(event.comment.version, comment) : null;
  return (
    <li className="space-y-2 rounded-lg border border-gray-200 bg-white p-3" data-testid="story-event">
      <EventMeta seq={event.seq} time={event.time} type={event.type} actor={event.actor} />
      <p>{event.sentence}</p>
      <EventFacts facts={event.facts} />
      {shown &&
        ("text" in shown ? (
          <blockquote className="whitespace-pre-wrap break-words border-l-4 border-gray-300 pl-3 text-sm">
            <span className="sr-only">Current text: </span>
            {shown.text}
          </blockquote>
        ) : (
          <p className="text-sm text-muted">{shown.note}</p>
        ))}
    </li>
  );
}
