// Applies scheduled batch openings and closings in the server process, once a minute, so a
// batch's datapoints change status on time even when nobody opens the moderation queue.
import { startRepeating } from "@/lib/runtime/repeat";
import { advanceLifecycle } from "./mutations";

export function startLifecycleScheduler(): () => void {
  return startRepeating("scheduled opening/closing", 60_000, advanceLifecycle);
}
