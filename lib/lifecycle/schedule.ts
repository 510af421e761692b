// Applies scheduled batch openings and closings in the server process, once a minute, so a
// batch's datapoints change status on time even when nobody opens the moderation queue.
import { advanceLifecycle } from "./mutations";

const EVERY_MS = 60_000;
const holder = globalThis as { plenaryLifecycleTimer?: NodeJS.Timeout };

export function startLifecycleScheduler(): void {
  if (holder.plenaryLifecycleTimer) return;
  let running = false;
  let lastError = "";
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await advanceLifecycle();
      lastError = "";
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A database outage would repeat every minute: say it once until it recovers.
      if (message !== lastError) console.error(`plenary: scheduled opening/closing failed: ${message}`);
      lastError = message;
    } finally {
      running = false;
    }
  };
  holder.plenaryLifecycleTimer = setInterval(() => void tick(), EVERY_MS);
  holder.plenaryLifecycleTimer.unref();
  void tick();
}
