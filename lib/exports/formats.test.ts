import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import type { Column } from "./columns";
import { csv, jsonl, type Encoded } from "./formats";
import { parquet } from "./parquet";
import { byteStream } from "./stream";

async function* pagesOf<T>(...pages: T[][]) {
  for (const page of pages) yield page;
}

async function bytesOf(file: Encoded): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of file.chunks) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A copy of the bytes in a plain ArrayBuffer, as hyparquet reads them. */
const arrayBufferOf = (bytes: Uint8Array): ArrayBuffer => new Uint8Array(bytes).buffer;

const columns: Column[] = [
  { name: "datapoint_id", type: "STRING", nullable: false, description: "" },
  { name: "prompt", type: "STRING", nullable: false, description: "" },
  { name: "context", type: "STRING", nullable: true, description: "" },
  { name: "responses", type: "JSON", nullable: false, description: "" },
  { name: "is_override", type: "BOOLEAN", nullable: true, description: "" },
  { name: "decided_at", type: "TIMESTAMP", nullable: true, description: "" },
  { name: "finalized_seq", type: "INT64", nullable: true, description: "" },
  { name: "votes", type: "INT32", nullable: true, description: "" },
  { name: "agreement", type: "DOUBLE", nullable: true, description: "" },
];
type Row = Record<string, unknown>;
const tricky: Row = {
  datapoint_id: "d-1",
  prompt: 'Say "hi",\nthen\r\nleave; =1+1',
  context: null,
  responses: [{ id: "A", text: "x, y" }],
  is_override: false,
  decided_at: "2026-11-27T09:00:00.000Z",
  finalized_seq: 9_007_199_254,
  votes: 5,
  agreement: 0.8,
};
const plain: Row = {
  ...tricky,
  datapoint_id: "d-2",
  prompt: "plain",
  context: "earlier",
  is_override: null,
  decided_at: null,
  finalized_seq: null,
  votes: null,
  agreement: null,
};

describe("CSV", () => {
  it("quotes and escapes through csv-stringify, with CRLF records and a header", async () => {
    const file = csv(pagesOf<Row>([tricky], [], [plain]), columns, (row: Row) => row);
    const text = (await bytesOf(file)).toString("utf8");
    expect(text).toBe(
      "datapoint_id,prompt,context,responses,is_override,decided_at,finalized_seq,votes,agreement\r\n" +
        'd-1,"Say ""hi"",\nthen\r\nleave; =1+1",,"[{""id"":""A"",""text"":""x, y""}]",false,2026-11-27T09:00:00.000Z,9007199254,5,0.8\r\n' +
        'd-2,plain,earlier,"[{""id"":""A"",""text"":""x, y""}]",,,,,\r\n',
    );
    expect(file.rows()).toBe(2);
  });

  it("prefixes text cells that a spreadsheet would run as a formula with a single quote (OWASP)", async () => {
    const risky = ['=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"];
    const rows = risky.map((prompt, i) => ({ ...plain, datapoint_id: `d-${i}`, prompt, agreement: -0.5 }));
    const lines = (await bytesOf(csv(pagesOf<Row>(rows), columns, (row: Row) => row))).toString("utf8").split("\r\n");
    expect(lines.slice(1, -1).map((line) => line.split(",")[1])).toEqual([
      '"\'=HYPERLINK(""http://evil"")"',
      "'+1",
      "'-2+3",
      "'@SUM(A1)",
      "'\tx",
      '"\'\rx"',
    ]);
    // Numbers stay numbers: a negative figure is not text a spreadsheet would run.
    expect(lines[1]?.endsWith(",-0.5")).toBe(true);
  });

  it("is a header alone when no rows match", async () => {
    expect((await bytesOf(csv(pagesOf<Row>(), columns, (row: Row) => row))).toString()).toBe(
      `${columns.map((c) => c.name).join(",")}\r\n`,
    );
  });
});

describe("JSONL", () => {
  it("writes one value a line, skipping rows mapped to null", async () => {
    const file = jsonl(pagesOf([1, 2], [3]), (n) => (n === 2 ? null : { n }));
    expect((await bytesOf(file)).toString()).toBe('{"n":1}\n{"n":3}\n');
    expect(file.rows()).toBe(2);
  });
});

describe("Parquet", () => {
  it("reads back with hyparquet as the rows written, one row group per page", async () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ ...(i % 2 ? plain : tricky), datapoint_id: `d-${i}` }));
    const file = parquet(pagesOf(rows.slice(0, 3), rows.slice(3)), columns, (row: Row) => row);
    const bytes = await bytesOf(file);
    const buffer = arrayBufferOf(bytes);
    expect(parquetMetadata(buffer).row_groups.map((g) => Number(g.num_rows))).toEqual([3, 4]);
    const read = await parquetReadObjects({ file: buffer });
    expect(
      read.map((r) => ({
        ...r,
        decided_at: r.decided_at?.toISOString() ?? null,
        finalized_seq: r.finalized_seq === null ? null : Number(r.finalized_seq),
      })),
    ).toEqual(rows);
    expect(file.rows()).toBe(7);
  });

  it("is a valid file with no rows when nothing matches", async () => {
    const bytes = await bytesOf(parquet(pagesOf<Row>(), columns, (row: Row) => row));
    const buffer = arrayBufferOf(bytes);
    expect(parquetMetadata(buffer).schema.map((s) => s.name)).toEqual(["root", ...columns.map((c) => c.name)]);
    expect(await parquetReadObjects({ file: buffer })).toEqual([]);
  });
});

describe("the HTTP body", () => {
  it("pulls the next page only when the reader asks (backpressure)", async () => {
    let produced = 0;
    async function* chunks() {
      for (let i = 0; i < 100; i++) {
        produced++;
        yield new Uint8Array([i]);
      }
    }
    const reader = byteStream(chunks()).getReader();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(produced).toBeLessThanOrEqual(1);
    await reader.read();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(produced).toBeLessThanOrEqual(3);
    await reader.cancel();
  });
});
