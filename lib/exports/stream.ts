// HTTP answers of the downloads: a ReadableStream that pulls the next chunk only when the
// client has taken the previous ones (backpressure), so memory stays at about one page.
import { AsyncLocalStorage } from "node:async_hooks";
import { problem } from "@/lib/http/problem";
import { FILES, type Encoded, type FileName } from "./formats";

/** Public data: any site may fetch it, and read the headers that make downloads resumable. */
export const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "Content-Disposition, Link, X-Next-Cursor, X-As-Of-Seq, X-From-Seq, X-To-Seq",
};

export function refuse(status: number, detail: string): Response {
  return problem(status, detail, {}, CORS);
}

export function byteStream(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  // The client pulls from outside the request's async context; each page is read inside it,
  // so from the source the request chose (readLogAt: the read replica or the primary).
  const inRequest = AsyncLocalStorage.snapshot();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            const next = await inRequest(() => iterator.next());
            if (next.done) return controller.close();
            if (next.value.byteLength === 0) continue;
            return controller.enqueue(next.value);
          }
        } catch (error) {
          // The status line has gone out: all we can do is cut the download short, which a
          // client sees (no final newline, no Parquet footer), and say why in the server log.
          console.error(`plenary: export stream failed: ${error instanceof Error ? error.message : String(error)}`);
          controller.error(error);
        }
      },
      async cancel() {
        await inRequest(() => iterator.return?.());
      },
    },
    { highWaterMark: 1 },
  );
}

export function fileResponse(name: FileName, file: Encoded, headers: Record<string, string> = {}): Response {
  return new Response(byteStream(file.chunks), {
    headers: {
      "Content-Type": FILES[name].mediaType,
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      ...CORS,
      ...headers,
    },
  });
}
