// The API rate limit tells clients apart by their socket address without a trusted proxy
// (PLENARY_TRUST_PROXY unset): one client spending its bucket leaves another's alone, and no
// header a client sends (X-Forwarded-For, or a forged copy of the server's own address
// stamp) buys it a fresh bucket. 127.0.0.1 and 127.0.0.2 are both loopback, so the test
// speaks from two real addresses.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type App } from "./app";
import { startDatabase, type TestDatabase } from "./database";

const BURST = 10;

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

function get(from: string, headers: Record<string, string> = {}): Promise<number> {
  const url = new URL(`${app.url}/api/log/entries?from=1&to=2`);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        localAddress: from,
        headers,
        agent: false,
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode!));
      },
    );
    request.on("error", reject);
    request.end();
  });
}

const statuses = async (n: number, from: string, headers: (i: number) => Record<string, string> = () => ({})) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await get(from, headers(i)));
  return out;
};

describe("the API rate limit, client by client", () => {
  it("keeps separate buckets for two addresses, and a spoofed X-Forwarded-For or address stamp buys nothing", async () => {
    // The first client spends its bucket while claiming a fresh forwarded address (and a
    // forged internal stamp) on every request: it still gets exactly BURST answers.
    const spoofing = await statuses(BURST + 5, "127.0.0.1", (i) => ({
      "X-Forwarded-For": `203.0.113.${i + 1}`,
      "X-Plenary-Client-Address": `forged 198.51.100.${i + 1}`,
    }));
    expect(spoofing.filter((s) => s === 200).length, String(spoofing)).toBe(BURST);
    expect(spoofing.slice(BURST)).toEqual(Array(5).fill(429));
    // The second client, from another address, is not refused because of the first.
    const other = await statuses(BURST, "127.0.0.2");
    expect(other, String(other)).toEqual(Array(BURST).fill(200));
    expect(await get("127.0.0.2")).toBe(429);
    expect(await get("127.0.0.1", { "X-Forwarded-For": "127.0.0.2" })).toBe(429);
  });
});
