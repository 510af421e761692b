// A timer in the server process that runs one piece of upkeep at a time (a run that outlasts
// its period is not overlapped) and reports a failure once until it changes or clears, so a
// database outage does not print the same line every tick.
type Holder = Record<symbol, (() => void) | undefined>;

export function startRepeating(name: string, everyMs: number, work: () => Promise<unknown>): () => void {
  const key = Symbol.for(`plenary.repeat.${name}`);
  const holder = globalThis as unknown as Holder;
  const existing = holder[key];
  if (existing) return existing; // once per process, hot reloads included
  let busy = false;
  let lastError = "";
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await work();
      lastError = "";
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastError) console.error(`plenary: ${name} failed: ${message}`);
      lastError = message;
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  void tick();
  const stop = () => {
    clearInterval(timer);
    holder[key] = undefined;
  };
  holder[key] = stop;
  return stop;
}
