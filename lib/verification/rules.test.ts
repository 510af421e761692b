import { describe, expect, it } from "vitest";
import { shellWord, siteOrigin, verifyCommands } from "./rules";

const VKEY = "plenary.local/log+1a2b3c4d+AeXvh2+Y/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789=";

describe("shellWord", () => {
  it("leaves plain words alone, the verifier key among them", () => {
    expect(shellWord("./release")).toBe("./release");
    expect(shellWord(VKEY)).toBe(VKEY);
  });

  it("single-quotes anything a shell would read, a quote included", () => {
    expect(shellWord("https://x.org/api/exports/manifest?batch=a&status=any")).toBe(
      "'https://x.org/api/exports/manifest?batch=a&status=any'",
    );
    expect(shellWord("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  });
});

describe("siteOrigin", () => {
  const base = { trustProxy: false, port: 3000 };

  it("prefers the configured URL over the Host header", () => {
    expect(siteOrigin({ ...base, configured: "https://plenary.example/some/path", host: "evil.example" })).toBe(
      "https://plenary.example",
    );
  });

  it("uses the Host header, and X-Forwarded-Proto only behind a trusted proxy", () => {
    expect(siteOrigin({ ...base, host: "127.0.0.1:3217", forwardedProto: "https" })).toBe("http://127.0.0.1:3217");
    expect(siteOrigin({ ...base, trustProxy: true, host: "plenary.example", forwardedProto: "https" })).toBe(
      "https://plenary.example",
    );
    expect(siteOrigin({ ...base, host: "[::1]:3000" })).toBe("http://[::1]:3000");
  });

  it("falls back to localhost when the Host header is missing or not a host", () => {
    expect(siteOrigin({ ...base, host: null })).toBe("http://localhost:3000");
    expect(siteOrigin({ ...base, host: "x.org/evil?" })).toBe("http://localhost:3000");
  });
});

describe("verifyCommands", () => {
  it("pins the key in every command and carries the filters into the manifest address", () => {
    const commands = verifyCommands("https://plenary.example", VKEY, "batch=helpful&minAgreement=0.7");
    expect(commands.directory).toBe(`npm run verify -- ./release --key ${VKEY}`);
    expect(commands.url).toBe(
      `npm run verify -- 'https://plenary.example/api/exports/manifest?batch=helpful&minAgreement=0.7' --key ${VKEY}`,
    );
    expect(commands.previous).toBe(`npm run verify -- ./release-new --key ${VKEY} --previous ./release-old`);
    expect(commands.pemDownload).toBe(
      "curl -o checkpoint-key.pem https://plenary.example/api/exports/checkpoint-key.pem",
    );
  });

  it("leaves the query off when no filter is chosen", () => {
    expect(verifyCommands("http://localhost:3000", VKEY, "").manifestUrl).toBe(
      "http://localhost:3000/api/exports/manifest",
    );
  });
});
