// A quick look through audit.jsonl's bytes for the datapoints that decision.finalized events
// name, before the replay starts: a tally under the reliability policy reads the votes on every
// finalized datapoint, so the replay must keep those votes from the first one on. Only a hint
// for what to keep: nothing here is checked, and the replay itself notices when it needed
// votes it did not keep (DecisionChecker.incomplete).
import type { Release } from "./source";
import { lastLineEnd } from "./trail-lines";

const MARKER = Buffer.from("decision.finalized");
const LF = 0x0a;
const CR = 0x0d;

/** Datapoints named by the lines of audit.jsonl that look like decision.finalized events. */
export async function finalizedDatapoints(release: Release, chunkBytes: number): Promise<ReadonlySet<string>> {
  const scan = new FinalizedScan();
  for await (const chunk of await release.open("audit.jsonl", { chunkBytes })) scan.push(chunk as Uint8Array);
  scan.end();
  return scan.finalized;
}

class FinalizedScan {
  readonly finalized = new Set<string>();
  private tail: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): void {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const first = nextLineEnd(bytes, 0);
    if (first < 0) {
      this.tail = Buffer.concat([this.tail, bytes]);
      return;
    }
    this.scan(Buffer.concat([this.tail, bytes.subarray(0, first)]));
    const last = lastLineEnd(bytes);
    this.scan(bytes.subarray(first + 1, last));
    this.tail = Buffer.from(bytes.subarray(last + 1));
  }

  end(): void {
    this.scan(this.tail);
    this.tail = Buffer.alloc(0);
  }

  /** Lines of `region` (whole lines) that hold the marker. */
  private scan(region: Buffer): void {
    for (let at = region.indexOf(MARKER); at >= 0;) {
      const start = Math.max(region.lastIndexOf(LF, at), region.lastIndexOf(CR, at)) + 1;
      let end = nextLineEnd(region, at);
      if (end < 0) end = region.length;
      this.read(region.toString("utf8", start, end));
      at = region.indexOf(MARKER, end);
    }
  }

  private read(line: string): void {
    const body = (parseJson(line) as { body?: unknown } | undefined)?.body;
    if (typeof body !== "string") return;
    const event = parseJson(body) as { type?: unknown; datapointId?: unknown } | undefined;
    if (event?.type === "decision.finalized" && typeof event.datapointId === "string")
      this.finalized.add(event.datapointId);
  }
}

function nextLineEnd(bytes: Buffer, from: number): number {
  const lf = bytes.indexOf(LF, from);
  const cr = bytes.indexOf(CR, from);
  return lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
