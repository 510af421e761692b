// Options of `npm run seed:large` (scripts/seed-large.ts), parsed without touching the
// database so that mistakes are one sentence before anything is written.
import { parseArgs } from "node:util";
import { parseDatabaseUrl } from "@/lib/database/connection";

export type LargeSeedOptions = {
  datapoints: number;
  users: number;
  /** Current votes (one per voter and datapoint); changes come on top, as extra history. */
  votes: number;
  comments: number;
  /** Labels finalized through the decision service once the closed batches have closed. */
  decisions: number;
  /** Seed of the synthetic content and choices (ids are always fresh). */
  seed: string;
  /** Events per transaction; a checkpoint is signed after each. */
  chunkEvents: number;
};

export const SCALES = {
  small: { datapoints: 50, users: 200, votes: 2_000, comments: 300 },
  full: { datapoints: 10_000, users: 100_000, votes: 1_000_000, comments: 200_000 },
} as const;

/** Default share of decided labels: one datapoint in fifty (200 at full scale). */
const defaultDecisions = (datapoints: number) => Math.ceil(datapoints / 50);

export function largeSeedOptions(
  counts: { datapoints: number; users: number; votes: number; comments: number },
  extra: Partial<LargeSeedOptions> = {},
): LargeSeedOptions {
  return { decisions: defaultDecisions(counts.datapoints), seed: "1", chunkEvents: 25_000, ...counts, ...extra };
}

export const HELP = `Usage: npm run seed:large -- [--datapoints N] [--users N] [--votes N] [--comments N] [--decisions N] [--seed TEXT] [--yes]

Adds a large synthetic history to the database, after whatever it already holds: users,
batches, datapoints, votes (some changed), comments (some edited), each with its audit event
exactly as the services write it, a signed checkpoint every ${(25_000).toLocaleString("en")} events, closed batches
closed and some labels decided through the real services. Defaults are the full scale:
--datapoints ${SCALES.full.datapoints} --users ${SCALES.full.users} --votes ${SCALES.full.votes} --comments ${SCALES.full.comments} --decisions datapoints/50.

Without DATABASE_URL it uses the embedded PostgreSQL in PLENARY_DATA_DIR (starting it when
\`npm start\` is not running). Any other DATABASE_URL needs --yes: this writes a lot into it.
Exit codes: 0 seeded, 1 refused (bad options, no --yes), 2 failed.`;

export type ParsedArgs =
  | { ok: true; options: LargeSeedOptions; yes: boolean; help: boolean; verify: boolean }
  | { ok: false; message: string };

const COUNT = /^\d+$/;

export function parseLargeSeedArgs(argv: string[]): ParsedArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        datapoints: { type: "string" },
        users: { type: "string" },
        votes: { type: "string" },
        comments: { type: "string" },
        decisions: { type: "string" },
        seed: { type: "string" },
        chunk: { type: "string" },
        yes: { type: "boolean" },
        "no-verify": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const counts: Record<string, number> = {};
  for (const name of ["datapoints", "users", "votes", "comments", "decisions", "chunk"] as const) {
    const text = values[name];
    if (text === undefined) continue;
    if (!COUNT.test(text)) return { ok: false, message: `--${name} takes a whole number, not "${text}".` };
    counts[name] = Number(text);
  }
  const options = largeSeedOptions(
    {
      datapoints: counts.datapoints ?? SCALES.full.datapoints,
      users: counts.users ?? SCALES.full.users,
      votes: counts.votes ?? SCALES.full.votes,
      comments: counts.comments ?? SCALES.full.comments,
    },
    {
      ...(counts.decisions !== undefined ? { decisions: counts.decisions } : {}),
      ...(counts.chunk !== undefined ? { chunkEvents: counts.chunk } : {}),
      ...(values.seed !== undefined ? { seed: values.seed } : {}),
    },
  );
  const problem = checkOptions(options);
  if (problem) return { ok: false, message: problem };
  return { ok: true, options, yes: values.yes ?? false, help: values.help ?? false, verify: !values["no-verify"] };
}

/** A sentence saying why these counts cannot be seeded, or null. */
export function checkOptions(o: LargeSeedOptions): string | null {
  if (o.datapoints < 1) return "--datapoints must be at least 1.";
  if ((o.votes > 0 || o.comments > 0) && o.users < 1) return "Votes and comments need at least one user (--users).";
  // Each voter votes once per datapoint, and late in the history only open batches take votes.
  if (o.votes > 0.5 * o.datapoints * o.users) {
    return `--votes ${o.votes} is too many for ${o.datapoints} datapoints and ${o.users} users: at most half of all voter–datapoint pairs (${Math.floor(0.5 * o.datapoints * o.users)}).`;
  }
  if (o.chunkEvents < 100) return "--chunk must be at least 100 events.";
  return null;
}

/**
 * True when `url` is this checkout's embedded PostgreSQL (loopback, PLENARY_PG_PORT, the
 * generated password): the one database seed:large may fill without --yes.
 */
export function isEmbeddedDatabase(url: string, embedded: { port: number; password: string | null }): boolean {
  const conn = parseDatabaseUrl(url);
  const loopback =
    conn.host === "127.0.0.1" || conn.host === "localhost" || conn.host === "::1" || conn.host === "[::1]";
  return loopback && conn.port === embedded.port && embedded.password !== null && conn.password === embedded.password;
}
