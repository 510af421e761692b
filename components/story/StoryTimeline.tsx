// A datapoint's events in seq order, split into rounds where an accepted appeal reopened
// voting.
import type { CommentNow } from "@/lib/audit/views/rules";
import type { EventView } from "@/lib/audit/views/data";
import { groupIntoRounds } from "@/lib/audit/views/rules";
import { StoryEvent } from "./StoryEvent";

type Props = { events: EventView[]; comments: Map<string, CommentNow> };

export function StoryTimeline({ events, comments }: Props) {
  const rounds = groupIntoRounds(events);
  if (rounds.length === 0) return <p className="text-muted">The log holds no events for this datapoint yet.</p>;
  return (
    <div className="space-y-6">
      {rounds.map((round) => (
        <section
          key={round.number}
          aria-labelledby={rounds.length > 1 ? `round-${round.number}` : undefined}
          className="space-y-3"
        >
          {rounds.length > 1 && (
            <h3 id={`round-${round.number}`} className="font-semibold">
              {round.number === 1 ? "First round" : `Round ${round.number}, after an accepted appeal`}
            </h3>
          )}
          <ol aria-label={rounds.length > 1 ? `Events of round ${round.number}` : "Events"} className="space-y-3">
            {round.events.map((event) => (
              <StoryEvent
                key={String(event.seq)}
                event={event}
                comment={event.comment ? comments.get(event.comment.id) : undefined}
              />
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}
