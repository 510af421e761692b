// When checkpoints are signed: by a timer in the Next server process (started from
// instrumentation.ts) whenever the policy in rules.ts says so, and right after every
// decision. Work runs one at a time per process; across processes the database arbitrates.
import { env } from "@/lib/env";
import { latestCheckpoint, logSize } from "./data";
import { createCheckpoint, type CheckpointOutcome } from "./mutations";
import { checkpointDue } from "./rules";

/** Two primary-key reads a second: cheap, and keeps "every N events" close to N. */
const TICK_MS = 1_000;

let queue: Promise<unknown> = Promise.resolve();

function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const next = queue.then(work, work);
  queue = next.catch(() => undefined);
  return next;
}

let lastReported = "";
function report(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  // A broken key or database would otherwise repeat the same line every second.
  if (message !== lastReported) console.error(`plenary: checkpoint signing failed: ${message}`);
  lastReported = message;
}

/**
 * Signs a checkpoint covering everything committed so far. The decision service calls this
 * right after a decision commits, so every decision is covered by a signed checkpoint.
 * Never throws: the decision stands whatever happens here, and the scheduler retries.
 */
export async function checkpointAfterDecision(): Promise<CheckpointOutcome | null> {
  try {
    const outcome = await oneAtATime(() => createCheckpoint());
    lastReported = "";
    return outcome;
  } catch (error) {
    report(error);
    return null;
  }
}

/** One scheduler tick: sign if the policy says a checkpoint is due. */
export async function checkpointIfDue(now = new Date()): Promise<CheckpointOutcome | null> {
  const { PLENARY_CHECKPOINT_EVERY_EVENTS: everyEvents, PLENARY_CHECKPOINT_EVERY_SECONDS: everySeconds } = env();
  const [size, latest] = await Promise.all([logSize(), latestCheckpoint()]);
  if (!checkpointDue({ logSize: size, latest, now }, { everyEvents, everySeconds })) return null;
  return oneAtATime(() => createCheckpoint({ now }));
}

const started = Symbol.for("plenary.checkpointScheduler");
type Holder = { [started]?: () => void };

/** Starts the timer once per process (hot reloads included); returns a stop function. */
export function startCheckpointScheduler(): () => void {
  const holder = globalThis as Holder;
  if (holder[started]) return holder[started];
  let busy = false;
  const tick = async () => {
    if (busy) return; // the first fill of a large log can outlast a tick
    busy = true;
    try {
      await checkpointIfDue();
      lastReported = "";
    } catch (error) {
      report(error);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), TICK_MS);
  // Neither timer keeps a process alive that would otherwise exit.
  timer.unref();
  setTimeout(() => void tick(), 0).unref();
  const stop = () => {
    clearInterval(timer);
    delete holder[started];
  };
  holder[started] = stop;
  return stop;
}
