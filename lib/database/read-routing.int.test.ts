// The read router against real PostgreSQL servers: a second database stands in for the
// replica (it has none of the primary's rows, so a read shows where it went), and a closed
// port for a replica that is down.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi, inject } from "vitest";
import { db, pool } from "@/lib/db";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { createTestDatabase } from "@/lib/testing/server";
import { makeBatch } from "@/lib/testing/fixtures";
import { ReadRouter, type ReadSource } from "./read-routing";

const primary: ReadSource = { name: "primary", db, pool };
let replica: ReadSource;
let down: ReadSource;
let dropReplica: () => Promise<void>;
let slug: string;

function source(connection: pg.PoolConfig): ReadSource {
  const sourcePool = new pg.Pool({ ...connection, max: 2, connectionTimeoutMillis: 2_000 });
  sourcePool.on("error", () => undefined);
  return {
    name: "replica",
    db: new PrismaClient({ adapter: new PrismaPg(sourcePool, { disposeExternalPool: true }) }),
    pool: sourcePool,
  };
}

const batchCount = (client: PrismaClient) => client.batch.count({ where: { slug } });

beforeAll(async () => {
  const other = await createTestDatabase(inject("testServer"));
  dropReplica = other.drop;
  replica = source(other.connection);
  down = source({ ...other.connection, port: 1 });
  ({ slug } = await makeBatch());
});

afterAll(async () => {
  await replica.db.$disconnect();
  await down.db.$disconnect();
  await dropReplica();
});

describe("ReadRouter", () => {
  it("reads the primary for everything when no replica is configured", async () => {
    const router = new ReadRouter(primary, null);
    expect(await router.page(batchCount)).toBe(1);
    expect(await router.scope({ seq: 1n }, () => router.scoped(({ db }) => batchCount(db)))).toBe(1);
    expect(await router.positionAfterWrite()).toBeNull();
  });

  it("sends public pages to the replica, and a scope to it only when it holds the position asked for", async () => {
    const router = new ReadRouter(primary, replica);
    expect(await router.page(batchCount)).toBe(0);
    // Outside a scope the readers shared with writers read the primary.
    expect(await router.scoped(({ db }) => batchCount(db))).toBe(1);
    expect(await router.scope({}, () => router.scoped(({ db }) => batchCount(db)))).toBe(0);
    expect(await router.scope({}, () => router.page(batchCount))).toBe(0);
    expect(await router.scope({}, () => batchCount(router.client()))).toBe(0);
    // The stand-in has an empty log: a request for seq 1 or a signed tree goes to the primary.
    expect(await router.scope({ seq: 1n }, () => router.scoped(({ db }) => batchCount(db)))).toBe(1);
    expect(await router.scope({ treeSize: 1n }, () => router.page(batchCount))).toBe(1);
    expect(await router.onPrimary(() => router.page(batchCount))).toBe(1);
    expect(await router.positionAfterWrite()).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
  });

  it("reads the primary while the replica is down, saying so once", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const router = new ReadRouter(primary, down, "the test replica");
      expect(await router.page(batchCount)).toBe(1);
      expect(await router.scope({}, () => batchCount(router.client()))).toBe(1);
      expect(await router.page(batchCount)).toBe(1);
      const lines = logged.mock.calls
        .map((call) => String(call[0]))
        .filter((line) => line.includes("the test replica"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/the test replica is unreachable .*reading from the primary/);
    } finally {
      logged.mockRestore();
    }
  });

  it("does not swallow a replica's real errors", async () => {
    const router = new ReadRouter(primary, replica);
    await expect(router.page((client) => client.$queryRawUnsafe("SELECT * FROM no_such_table"))).rejects.toThrow(
      /no_such_table/,
    );
  });
});
