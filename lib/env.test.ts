import { afterEach, describe, expect, it } from "vitest";
import { apiRateLimits, ConfigError, env, setting } from "./env";

const saved = {
  rate: process.env.PLENARY_API_RATE_PER_MINUTE,
  origin: process.env.PLENARY_LOG_ORIGIN,
  url: process.env.NEXTAUTH_URL,
};
afterEach(() => {
  for (const [name, value] of [
    ["PLENARY_API_RATE_PER_MINUTE", saved.rate],
    ["PLENARY_LOG_ORIGIN", saved.origin],
    ["NEXTAUTH_URL", saved.url],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("env", () => {
  it("answers the settings as process.env holds them at each call", () => {
    process.env.PLENARY_API_RATE_PER_MINUTE = "60";
    const first = env();
    expect(first.PLENARY_API_RATE_PER_MINUTE).toBe(60);
    expect(env()).toBe(first); // nothing changed: the same parse
    process.env.PLENARY_API_RATE_PER_MINUTE = "0";
    expect(env().PLENARY_API_RATE_PER_MINUTE).toBe(0);
    expect(apiRateLimits()).toBeNull();
    delete process.env.PLENARY_API_RATE_PER_MINUTE;
    expect(env().PLENARY_API_RATE_PER_MINUTE).toBe(120);
    expect(apiRateLimits()).toEqual({ perMinute: 120, burst: 120 });
  });

  it("refuses a bad value set after a good one, in one sentence, and recovers once it is mended", () => {
    process.env.PLENARY_LOG_ORIGIN = "example.org/log";
    expect(env().PLENARY_LOG_ORIGIN).toBe("example.org/log");
    process.env.PLENARY_LOG_ORIGIN = "has spaces/log";
    expect(() => env()).toThrow(ConfigError);
    expect(() => env()).toThrow(/^Setting PLENARY_LOG_ORIGIN is invalid: /);
    process.env.PLENARY_LOG_ORIGIN = "example.org/other";
    expect(env().PLENARY_LOG_ORIGIN).toBe("example.org/other");
  });

  it("hands out settings that cannot be changed in place", () => {
    expect(() => {
      (env() as { PORT: number }).PORT = 1;
    }).toThrow(TypeError);
  });

  it("reads one setting alone, as process.env holds it at each call, by the same rules", () => {
    process.env.NEXTAUTH_URL = "https://plenary.example";
    expect(setting("NEXTAUTH_URL")).toBe("https://plenary.example");
    process.env.NEXTAUTH_URL = "http://localhost:3000";
    expect(setting("NEXTAUTH_URL")).toBe("http://localhost:3000");
    delete process.env.NEXTAUTH_URL;
    expect(setting("NEXTAUTH_URL")).toBeUndefined();
    process.env.PLENARY_API_RATE_PER_MINUTE = "30";
    expect(setting("PLENARY_API_RATE_PER_MINUTE")).toBe(30);
    delete process.env.PLENARY_API_RATE_PER_MINUTE;
    expect(setting("PLENARY_API_RATE_PER_MINUTE")).toBe(120);
    process.env.NEXTAUTH_URL = "not a url";
    expect(() => setting("NEXTAUTH_URL")).toThrow(/^Setting NEXTAUTH_URL is invalid: /);
  });
});
