import { afterEach, describe, expect, it, vi } from "vitest";

// The options are built from the environment at import, as in the running app.
async function providerIds(env: Record<string, string | undefined>): Promise<string[]> {
  vi.resetModules();
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  vi.stubEnv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none"); // the client connects lazily
  const { authOptions } = await import("./options");
  return authOptions.providers.map((p) => p.id);
}

afterEach(() => vi.unstubAllEnvs());

describe("sign-in providers", () => {
  it("offers email always and GitHub only when both of its settings are present", async () => {
    expect(await providerIds({ GITHUB_ID: undefined, GITHUB_SECRET: undefined })).toEqual(["email"]);
    expect(await providerIds({ GITHUB_ID: "abc", GITHUB_SECRET: undefined })).toEqual(["email"]);
    expect(await providerIds({ GITHUB_ID: "abc", GITHUB_SECRET: "shh" })).toEqual(["email", "github"]);
  });
});
