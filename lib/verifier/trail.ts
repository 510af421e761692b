// Reading audit.jsonl in chunks of whole lines and checking them in worker threads while the
// verifier's own thread consumes the reports in file order. That thread also
// checks a chunk itself whenever no worker can take one (while they load their code, and when
// all are busy), so no core idles. Chunks are transferred, not copied, and only a few are in
// flight at once, so memory stays flat.
import { Worker } from "node:worker_threads";
import type { Release } from "./source";
import { checkLines, lastLineEnd, type ChunkReport } from "./trail-lines";

/** Chunks a worker holds at once: one to check and one waiting, so it never idles. */
const PER_WORKER = 2;

type Waiting = { resolve: (report: ChunkReport) => void; reject: (error: Error) => void };

export class LineCheckers {
  private readonly workers: Worker[] = [];
  private readonly ready: Worker[] = [];
  private readonly inFlight = new Map<Worker, number>();
  private readonly waiting = new Map<number, Waiting>();
  private kept: ReadonlySet<string> = new Set();
  private summarised: ReadonlySet<string> = new Set();
  private failure: Error | null = null;
  private nextId = 0;

  /**
   * `count` worker threads; with 0 the lines are checked in this thread. A chunk no loaded
   * worker has room for is checked in this thread too (workers take time to load their
   * code), unless `waitForWorkers`: then every chunk goes to a worker.
   */
  constructor(
    count: number,
    private readonly waitForWorkers = false,
  ) {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL("./trail-worker.mjs", import.meta.url), { execArgv: [] });
      worker.on("message", (message: { ready: true } | { id: number; report: ChunkReport }) => {
        if ("ready" in message) return void this.ready.push(worker);
        this.inFlight.set(worker, this.inFlight.get(worker)! - 1);
        const waiting = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        waiting?.resolve(message.report);
      });
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => {
        if (code !== 0) this.fail(new Error(`a worker thread of the verifier stopped (exit code ${code})`));
      });
      this.workers.push(worker);
      this.inFlight.set(worker, 0);
    }
  }

  /** The datapoints whose vote events the checkers send back (see replayReads). */
  /** `kept`: datapoints whose vote events are sent whole (see replayReads); `summarised`: whose votes are summarised (ChunkReport.votes). */
  keep(kept: ReadonlySet<string>, summarised: ReadonlySet<string> = new Set()): void {
    this.kept = kept;
    this.summarised = summarised;
    for (const worker of this.workers) worker.postMessage({ kept: [...kept], summarised: [...summarised] });
  }

  /** Reports on `chunks` (each whole lines), in their order, with a few checked ahead. */
  async *check(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<ChunkReport> {
    const ahead: Promise<ChunkReport>[] = [];
    const depth = PER_WORKER * this.workers.length + 2;
    for await (const chunk of chunks) {
      ahead.push(this.checkOne(chunk));
      while (ahead.length > depth) yield await ahead.shift()!;
    }
    while (ahead.length) yield await ahead.shift()!;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private checkOne(chunk: Uint8Array): Promise<ChunkReport> {
    if (this.failure) return Promise.reject(this.failure);
    const worker = this.waitForWorkers ? this.workers[this.nextId % this.workers.length] : this.idlest();
    if (!worker) return Promise.resolve(checkLines(chunk, this.kept, this.summarised));
    const id = this.nextId++;
    const report = new Promise<ChunkReport>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    // Reports not awaited yet (the reader stopped early) must not surface as unhandled.
    report.catch(() => {});
    this.inFlight.set(worker, this.inFlight.get(worker)! + 1);
    worker.postMessage({ id, chunk }, [chunk.buffer as ArrayBuffer]);
    return report;
  }

  /** The loaded worker with the fewest chunks in hand, if one has room for another. */
  private idlest(): Worker | undefined {
    let best: Worker | undefined;
    for (const worker of this.ready)
      if (this.inFlight.get(worker)! < PER_WORKER && (!best || this.inFlight.get(worker)! < this.inFlight.get(best)!))
        best = worker;
    return best;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}

/**
 * audit.jsonl in chunks of whole lines of about `chunkBytes` each, every chunk in an
 * ArrayBuffer of its own (so it can be transferred to a worker). `onBytes` sees every byte of
 * the file, in order, before its chunk is handed on.
 */
export async function* auditChunks(
  release: Release,
  chunkBytes: number,
  onBytes?: (bytes: Uint8Array) => void,
): AsyncGenerator<Uint8Array> {
  let pieces: Buffer[] = [];
  let size = 0;
  for await (const data of await release.open("audit.jsonl", { chunkBytes })) {
    const bytes = data as Uint8Array;
    const piece = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    pieces.push(piece);
    size += piece.length;
    // A line longer than a chunk: read on until one ends.
    if (size < chunkBytes || lastLineEnd(piece) < 0) continue;
    const joined = join(pieces, size);
    const end = lastLineEnd(joined) + 1;
    pieces = end < size ? [Buffer.from(joined.subarray(end))] : [];
    size -= end;
    const chunk = joined.subarray(0, end);
    onBytes?.(chunk);
    yield chunk;
  }
  if (size > 0) {
    const chunk = join(pieces, size);
    onBytes?.(chunk);
    yield chunk;
  }
}

function join(pieces: Buffer[], size: number): Buffer {
  const joined = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const piece of pieces) at += piece.copy(joined, at);
  return joined;
}
