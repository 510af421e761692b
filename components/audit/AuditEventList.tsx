// One page of the log, newest first: each event with its seq, time, type, actor, datapoint,
// leaf hash and the exact canonical body that was hashed.
import Link from "next/link";
import type { EventView } from "@/lib/audit/views/data";
import { EventMeta } from "./EventMeta";
import { HashValue } from "./HashValue";

type Props = { events: EventView[]; datapoints: Map<string, string> };

export function AuditEventList({ events, datapoints }: Props) {
  return (
    <ol aria-label="Audit events" className="space-y-3">
      {events.map((event) => (
        <li
          key={String(event.seq)}
          className="space-y-1 rounded-lg border border-gray-200 bg-white p-3"
          data-testid="audit-event"
        >
          <EventMeta seq={event.seq} time={event.time} type={event.type} actor={event.actor} />
          <p>{event.sentence}</p>
          <div className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
            {event.datapointId && <DatapointLink id={event.datapointId} title={datapoints.get(event.datapointId)} />}
            <div>
              <span className="text-muted">Leaf hash </span>
              <HashValue value={event.leafHash} label="leaf hash" />
            </div>
          </div>
          <details>
            <summary className="cursor-pointer text-sm text-accent">
              Canonical body<span className="sr-only"> of seq {String(event.seq)}</span>
            </summary>
            <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-gray-50 p-2 text-xs">{event.body}</pre>
          </details>
        </li>
      ))}
    </ol>
  );
}

function DatapointLink({ id, title }: { id: string; title: string | undefined }) {
  // Drafts are in the log from their import, but their content is not public yet.
  if (!title) {
    return (
      <span>
        <span className="text-muted">Datapoint </span>
        <code className="text-xs">{id}</code>
      </span>
    );
  }
  return (
    <span>
      <span className="text-muted">Datapoint </span>
      <Link href={`/datapoints/${id}/story`} className="text-accent underline-offset-2 hover:underline">
        {title}
      </Link>
    </span>
  );
}
