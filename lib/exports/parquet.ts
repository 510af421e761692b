// Parquet encoding with hyparquet-writer (maintained, pure JavaScript, no native build;
// parquetjs is unmaintained and parquet-wasm ships a large WebAssembly bundle). Parquet
// keeps a whole row group in memory before writing it, so each page read from the database
// becomes one row group, and the bytes are handed on and dropped after every group: memory is
// bounded by one page of rows plus the footer's metadata (a few hundred bytes per group).
import { ByteWriter, ParquetWriter, schemaFromColumnData, type ColumnSource } from "hyparquet-writer";
import type { Column } from "./columns";
import type { Encoded } from "./formats";

const PARQUET_CREATED_BY = "plenary export (hyparquet-writer)";

export function parquet<T>(
  pages: AsyncIterable<T[]>,
  columns: readonly Column[],
  cells: (row: T) => Record<string, unknown>,
): Encoded {
  let rows = 0;
  async function* chunks() {
    const sink = new ByteWriter();
    const schema = schemaFromColumnData({
      columnData: columns.map(({ name, type, nullable }) => ({ name, type, nullable, data: [] })),
    });
    const writer = new ParquetWriter({ writer: sink, schema, createdBy: PARQUET_CREATED_BY });
    yield take(sink);
    for await (const page of pages) {
      if (page.length === 0) continue;
      const values = page.map(cells);
      const columnData: ColumnSource[] = columns.map((column) => ({
        name: column.name,
        data: values.map((row) => parquetValue(row[column.name], column)),
      }));
      // The in-memory sink has no flush, so writing is synchronous: nothing to await.
      void writer.write({ columnData, rowGroupSize: page.length });
      rows += page.length;
      yield take(sink);
    }
    void writer.finish();
    yield take(sink);
  }
  return { chunks: chunks(), rows: () => rows };
}

/** The bytes written since the last call; the writer then reuses its buffer from the start. */
function take(sink: ByteWriter): Uint8Array {
  const bytes = sink.getBytes().slice();
  sink.index = 0;
  return bytes;
}

function parquetValue(value: unknown, column: Column): unknown {
  if (value === null || value === undefined) return null;
  if (column.type === "TIMESTAMP") return new Date(value as string);
  if (column.type === "INT64") return BigInt(value as number);
  return value;
}
