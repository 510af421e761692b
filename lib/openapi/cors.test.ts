import { describe, expect, it } from "vitest";
import { isPublicApi, preflightHeaders } from "./cors";

describe("isPublicApi", () => {
  it("opens the read-only API and nothing that signs in or changes state", () => {
    for (const path of [
      "/api/log/checkpoint",
      "/api/exports/dataset.parquet",
      "/api/research/b/agreement.svg",
      "/api/openapi.json",
      "/.well-known/plenary-checkpoint-key",
    ]) {
      expect(isPublicApi(path), path).toBe(true);
    }
    for (const path of [
      "/api/auth/session",
      "/api/auth/demo",
      "/api/health",
      "/api/logs",
      "/datapoints/1",
      "/admin/import",
    ]) {
      expect(isPublicApi(path), path).toBe(false);
    }
  });
});

describe("preflightHeaders", () => {
  it("allows reads from any origin and the headers asked for", () => {
    expect(preflightHeaders("range")).toEqual({
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
      "Access-Control-Allow-Headers": "range",
      "Access-Control-Max-Age": "86400",
      "Cache-Control": "no-store",
    });
    expect(preflightHeaders(null)).not.toHaveProperty("Access-Control-Allow-Headers");
  });
});
