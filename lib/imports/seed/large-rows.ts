// Rows and audit events of the large seed, as PostgreSQL COPY text. Each event is made the
// way lib/audit/append.ts makes it — parsed by the event schema, canonical JSON, leaf and
// chain hash, datapoint id copied out — only many at a time instead of one per round trip.
import { canonicalJson } from "@/lib/audit/canonical";
import { auditEventSchema, datapointOf, type AuditEvent, type NewAuditEvent } from "@/lib/audit/events";
import { chainHash, leafHash, toHex } from "@/lib/audit/hash";
export { uuidv7 } from "@/lib/database/uuid";

const ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** One field of COPY's text format: \N for null, backslash escapes for the rest. */
export function copyField(value: string | number | bigint | boolean | null): string {
  if (value === null) return "\\N";
  if (typeof value !== "string") return String(value);
  return value.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]!);
}

/** A bytea field in COPY text: hex form, its backslash escaped. */
export function copyBytes(bytes: Uint8Array): string {
  return `\\\\x${toHex(bytes)}`;
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** Rows of one table for one COPY, as text. */
export class CopyTable {
  private parts: string[] = [];
  rows = 0;

  constructor(
    readonly table: string,
    readonly columns: readonly string[],
  ) {}

  add(fields: (string | number | bigint | boolean | null)[]): void {
    this.parts.push(`${fields.map(copyField).join("\t")}\n`);
    this.rows++;
  }

  /** A field already in COPY form (bytea). */
  addRaw(fields: string[]): void {
    this.parts.push(`${fields.join("\t")}\n`);
    this.rows++;
  }

  get sql(): string {
    return `COPY ${this.table} (${this.columns.join(", ")}) FROM STDIN`;
  }

  text(): string {
    return this.parts.join("");
  }
}

export type Appended = { seq: bigint; event: AuditEvent; leaf: Uint8Array };

/** Continues the hash chain from a head, writing each event's audit_events row. */
export class EventChain {
  readonly rows = new CopyTable("audit_events", ["seq", "type", "body", "leaf_hash", "chain_hash", "datapoint_id"]);

  constructor(
    public seq: bigint,
    public head: Uint8Array,
  ) {}

  append(input: NewAuditEvent & { at: string }): Appended {
    // As appendEvent: an event that does not parse is a bug, and stops the seed.
    const event = auditEventSchema.parse(input);
    const body = canonicalJson(event);
    const leaf = leafHash(body);
    this.head = chainHash(this.head, leaf);
    this.seq += 1n;
    this.rows.addRaw([
      String(this.seq),
      copyField(event.type),
      copyField(body),
      copyBytes(leaf),
      copyBytes(this.head),
      copyField(datapointOf(event)),
    ]);
    return { seq: this.seq, event, leaf };
  }
}
