// Group commit for a hot statement: calls that arrive while earlier ones are still running
// are sent together, as one statement and one transaction, instead of each queueing for a
// pool connection and paying for its own round trip, statement start-up and commit. Under
// light load nothing waits: a call that finds a free slot runs alone at once.
//
// Calls with the same key are never in the same group, nor in two groups running at once:
// each waits for the one before it, so a group holds at most one call per key (castVote keys
// votes by user, whose votes must run one at a time anyway).

export type BatcherOptions<T, R> = {
  /** Groups (or single calls) running at once. */
  inFlight: number;
  /** Calls in one group at most. */
  maxBatch: number;
  keyOf: (item: T) => string;
  /** Runs one call alone. */
  runOne: (item: T) => Promise<R>;
  /**
   * Runs a group of two or more as one unit, returning one result per item in order. If it
   * throws, each call is then run alone, so running a call again must be harmless: a group
   * that failed normally left nothing (its transaction rolled back), and one whose end is
   * unknown (the connection dropped during its commit) may have taken effect, which
   * castVote's idempotency keys turn into a replay answered with the first outcome.
   */
  runMany: (items: T[]) => Promise<R[]>;
};

type Waiting<T, R> = { item: T; key: string; resolve: (result: R) => void; reject: (error: unknown) => void };

export class Batcher<T, R> {
  private readonly waiting: Waiting<T, R>[] = [];
  private readonly running = new Set<string>();
  private inFlight = 0;
  /** Groups sent and the calls in them, for the benchmarks. */
  readonly stats = { groups: 0, calls: 0, fallbacks: 0 };

  constructor(private readonly options: BatcherOptions<T, R>) {
    if (!(options.inFlight >= 1) || !(options.maxBatch >= 1))
      throw new RangeError("inFlight and maxBatch must be at least 1");
  }

  run(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, key: this.options.keyOf(item), resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.inFlight) {
      const group = this.takeGroup();
      if (group.length === 0) return;
      this.inFlight += 1;
      void this.send(group).finally(() => {
        this.inFlight -= 1;
        for (const call of group) this.running.delete(call.key);
        this.pump();
      });
    }
  }

  /** The oldest waiting calls whose keys are free, one per key, in arrival order. */
  private takeGroup(): Waiting<T, R>[] {
    const group: Waiting<T, R>[] = [];
    let kept = 0;
    for (let i = 0; i < this.waiting.length; i++) {
      const call = this.waiting[i]!;
      if (group.length < this.options.maxBatch && !this.running.has(call.key)) {
        this.running.add(call.key);
        group.push(call);
      } else {
        this.waiting[kept++] = call;
      }
    }
    this.waiting.length = kept;
    return group;
  }

  private async send(group: Waiting<T, R>[]): Promise<void> {
    this.stats.groups += 1;
    this.stats.calls += group.length;
    if (group.length > 1) {
      let results: R[] | null;
      try {
        results = await this.options.runMany(group.map((call) => call.item));
      } catch {
        results = null;
        this.stats.fallbacks += 1;
      }
      if (results && results.length !== group.length) {
        const error = new Error(`A group of ${group.length} calls returned ${results.length} results.`);
        for (const call of group) call.reject(error);
        return;
      }
      if (results) {
        group.forEach((call, i) => call.resolve(results[i]!));
        return;
      }
    }
    for (const call of group) {
      try {
        call.resolve(await this.options.runOne(call.item));
      } catch (error) {
        call.reject(error);
      }
    }
  }
}
