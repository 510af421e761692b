// The line every audit event starts with, in the story and in the log: seq, time, type,
// actor, and where to get the proof that the event is in the log.
import Link from "next/link";
import { Badge } from "@/components/ui/Badge";
import type { Person } from "@/lib/users/names/rules";
import { formatInstant, inclusionProofHref } from "@/lib/audit/views/rules";
import { auditHref } from "@/lib/audit/views/schema";

type Props = { seq: bigint; time: Date; type: string; actor: Person | null };

const TONE = { vote: "blue", decision: "green", appeal: "green", comment: "amber", flag: "amber" } as const;

export function EventMeta({ seq, time, type, actor }: Props) {
  const tone = TONE[type.split(".")[0] as keyof typeof TONE] ?? "neutral";
  return (
    <p className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm">
      <span className="font-mono font-semibold" data-testid="event-seq">
        seq {String(seq)}
      </span>
      <time dateTime={time.toISOString()} className="text-muted">
        {formatInstant(time)}
      </time>
      <Badge tone={tone}>{type}</Badge>
      <span data-testid="event-actor">
        <ActorName actor={actor} />
      </span>
      {/* A route handler, not a page: a plain link, never prefetched. */}
      <a href={inclusionProofHref(seq)} className="text-accent underline-offset-2 hover:underline">
        Inclusion proof<span className="sr-only"> of seq {String(seq)}</span>
      </a>
    </p>
  );
}

/**
 * A person as the record names them (the display name they had then), always with the
 * pseudonym that stays theirs, linking to their events; the system is not a person.
 */
export function ActorName({ actor }: { actor: Person | null }) {
  if (!actor) return <span className="text-muted">system</span>;
  if (!actor.pseudonym) return <span>{actor.name}</span>;
  return (
    <Link href={auditHref({ actor: actor.pseudonym })} className="text-accent underline-offset-2 hover:underline">
      {actor.name === actor.pseudonym ? actor.pseudonym : `${actor.name} (${actor.pseudonym})`}
    </Link>
  );
}
