// The public API's per-address limit (proxy.ts) under a burst: a server that allows 50 at once
// (and one more a minute) lets exactly 50 of 100 simultaneous requests through.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type App } from "./app";
import { startDatabase, type TestDatabase } from "./database";

const BURST = 50;

let database: TestDatabase;
let app: App;

beforeAll(async () => {
  database = await startDatabase();
  app = await startApp(database, { env: { PLENARY_API_RATE_PER_MINUTE: "1", PLENARY_API_RATE_BURST: String(BURST) } });
});

afterAll(async () => {
  await app?.dispose();
  await database?.dispose();
});

describe("the API rate limit under a burst", () => {
  it(`lets exactly ${BURST} of 100 simultaneous requests through and refuses the rest with 429`, async () => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const response = await fetch(`${app.url}/api/log/entries?from=1&to=5`);
        return { status: response.status, headers: response.headers, body: await response.text() };
      }),
    );
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.filter((status) => status !== 429 && status !== 200),
      String(statuses),
    ).toEqual([]);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBe(100 - BURST);
    expect(JSON.parse(refused[0]!.body)).toMatchObject({
      status: 429,
      detail: expect.stringMatching(/^Too many requests/),
    });
    expect(Number(refused[0]!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused[0]!.headers.get("content-type")).toBe("application/problem+json");
  });

  it("leaves the health check alone", async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => fetch(`${app.url}/api/health`)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
  });
});
