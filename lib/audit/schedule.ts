// Sequences queued audit events every second in the server process. A vote sequences its
// own event right after it commits; this picks up the ones whose request ended first (a
// crash or a restart between commit and sequencing), starting as soon as the server starts.
import { startRepeating } from "@/lib/runtime/repeat";
import { flushAuditQueue } from "./mutations";

export function startAuditQueueScheduler(): () => void {
  return startRepeating("sequencing the audit queue", 1_000, flushAuditQueue);
}
