// The public API's HTTP surface: the OpenAPI document, CORS, the /developers page and the
// rate limit. The e2e server runs with PLENARY_API_RATE_PER_MINUTE=60 and trusts
// X-Forwarded-For (playwright.config.ts), so the burst below drains a bucket of its own
// address and never the one other specs' requests (from 127.0.0.1) take from.
import { expect, test, type APIResponse } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./axe";

const headerCount = (response: APIResponse, name: string) =>
  response.headersArray().filter((h) => h.name.toLowerCase() === name).length;

/** A documentation-range address (RFC 5737) of this run's own. */
const freshAddress = () => `203.0.113.${1 + Math.floor(Math.random() * 254)}`;

test.describe("the API over HTTP", () => {
  // Requests look the same from every viewport; the burst especially need not run twice.
  test.skip(({ isMobile }) => isMobile, "viewport-independent");

  test("/api/openapi.json is an OpenAPI 3.1 document any origin may read", async ({ request }) => {
    const response = await request.get("/api/openapi.json", { headers: { Origin: "https://example.org" } });
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("application/json");
    expect(response.headers()["access-control-allow-origin"]).toBe("*");
    expect(headerCount(response, "access-control-allow-origin")).toBe(1);
    expect(response.headers()["cache-control"]).toContain("max-age=");
    expect(response.headers()["ratelimit-limit"]).toBe("60");
    const document = await response.json();
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/api/log/checkpoint", "/api/exports/dataset.parquet", "/api/research/{slug}/{chart}"]),
    );
  });

  test("downloads carry one Access-Control-Allow-Origin, not the route's and the proxy's", async ({ request }) => {
    const response = await request.get("/api/exports/checkpoints.jsonl?toTreeSize=1");
    expect(response.status()).toBe(200);
    expect(headerCount(response, "access-control-allow-origin")).toBe(1);
    expect(response.headers()["access-control-expose-headers"]).toContain("X-Next-Cursor");
  });

  test("a preflight is answered with 204 on the public API and not on sign-in", async ({ request }) => {
    const preflight = { Origin: "https://example.org", "Access-Control-Request-Method": "GET" };
    const response = await request.fetch("/api/log/checkpoint", { method: "OPTIONS", headers: preflight });
    expect(response.status()).toBe(204);
    expect(response.headers()["access-control-allow-origin"]).toBe("*");
    expect(response.headers()["access-control-allow-methods"]).toBe("GET, HEAD, OPTIONS");

    const signIn = await request.fetch("/api/auth/session", { method: "OPTIONS", headers: preflight });
    expect(signIn.headers()["access-control-allow-origin"]).toBeUndefined();
    const session = await request.get("/api/auth/session", { headers: { Origin: "https://example.org" } });
    expect(session.headers()["access-control-allow-origin"]).toBeUndefined();
  });

  test("a burst beyond the limit gets 429 problems with Retry-After, for that address only", async ({ request }) => {
    const address = freshAddress();
    const responses = await Promise.all(
      Array.from({ length: 100 }, () =>
        request.get("/api/log/checkpoint", { headers: { "X-Forwarded-For": address } }),
      ),
    );
    const refused = responses.filter((r) => r.status() === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(responses.filter((r) => r.status() !== 429).length).toBeGreaterThanOrEqual(60);

    const first = refused[0]!;
    expect(first.headers()["content-type"]).toContain("application/problem+json");
    expect(Number(first.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(first.headers()["ratelimit-limit"]).toBe("60");
    expect(first.headers()["ratelimit-remaining"]).toBe("0");
    expect(Number(first.headers()["ratelimit-reset"])).toBeGreaterThan(0);
    expect(await first.json()).toMatchObject({ status: 429, title: "Too Many Requests" });

    // Another address, and the health check, are not held back by that burst.
    const other = await request.get("/api/log/checkpoint", {
      headers: { "X-Forwarded-For": `198.51.100.${address.split(".")[3]}` },
    });
    expect(other.status()).not.toBe(429);
    const health = await request.get("/api/health", { headers: { "X-Forwarded-For": address } });
    expect(health.status()).toBe(200);
  });
});

test("/developers shows every endpoint of the document, readable and accessible", async ({ page, request }) => {
  // A heading check per endpoint and an axe scan of the whole long page: on a loaded
  // two-core machine the phone run has come within a second of the default 30 s.
  test.slow();
  const document = await (await request.get("/api/openapi.json")).json();
  await page.goto("/");
  await page.getByRole("contentinfo").getByRole("link", { name: "Public API" }).click();
  await expect(page).toHaveURL(/\/developers$/);
  await expect(page.getByRole("heading", { level: 1, name: "Public API" })).toBeVisible();
  // The nav also lists /api/openapi.json, as an anchor to its section; this is the link to the file.
  await expect(page.getByRole("main").locator(`a[href="/api/openapi.json"]`)).toBeVisible();
  for (const [path, methods] of Object.entries(document.paths as Record<string, object>)) {
    for (const method of Object.keys(methods)) {
      await expect(
        page.getByRole("heading", { level: 3, name: `${method.toUpperCase()} ${path}`, exact: true }),
      ).toBeVisible();
    }
  }
  await expect(page.getByText("curl -sS").first()).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});
