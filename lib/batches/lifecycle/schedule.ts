// Applies scheduled batch openings and closings in the server process, every 5 seconds, so a
// batch's datapoints change status on time even when nobody opens the moderation queue. A
// tick with nothing due is two indexed reads. Every instance runs it; a batch's step locks
// the batch, so when two instances see it due at once the second finds nothing to move.
import { startRepeating } from "@/lib/runtime/repeat";
import { advanceLifecycle } from "./mutations";

export function startLifecycleScheduler(): () => void {
  return startRepeating("scheduled opening/closing", 5_000, advanceLifecycle);
}
