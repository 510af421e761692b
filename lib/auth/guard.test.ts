import { describe, expect, it } from "vitest";
import { isAcceptableCallbackUrl, refusedAuthRequest } from "./guard";

const url = (path: string) => new URL(path, "http://localhost:3000");

describe("refusedAuthRequest", () => {
  it("passes what next-auth handles", () => {
    expect(refusedAuthRequest(url("/api/auth/signin/email?callbackUrl=%2Fdatapoints"), null, null)).toBeNull();
    expect(
      refusedAuthRequest(url("/api/auth/signin?callbackUrl=https%3A%2F%2Fexample.org%2Fx"), null, null),
    ).toBeNull();
    expect(refusedAuthRequest(url("/api/auth/error?error=Verification"), null, "/profile")).toBeNull();
    expect(refusedAuthRequest(url("/api/auth/session"), new URLSearchParams("csrfToken=x"), null)).toBeNull();
  });

  it("refuses a callbackUrl that is neither a path nor an http(s) URL, wherever it comes from", () => {
    expect(refusedAuthRequest(url("/api/auth/signin?callbackUrl=javascript%3Aalert(1)"), null, null)).toMatch(
      /callbackUrl/,
    );
    expect(refusedAuthRequest(url("/api/auth/signin?callbackUrl=%20x"), null, null)).toMatch(/callbackUrl/);
    expect(refusedAuthRequest(url("/api/auth/signin/email"), new URLSearchParams("callbackUrl=ftp://x"), null)).toMatch(
      /callbackUrl/,
    );
    expect(refusedAuthRequest(url("/api/auth/session"), null, "not a url")).toMatch(/callbackUrl/);
  });

  it("refuses text outside Latin-1 in the path or the error parameter", () => {
    expect(refusedAuthRequest(url(`/api/auth/${encodeURIComponent("sign·in✓")}`), null, null)).toMatch(/characters/);
    expect(refusedAuthRequest(url(`/api/auth/error?error=${encodeURIComponent("😀")}`), null, null)).toMatch(
      /characters/,
    );
    expect(refusedAuthRequest(url(`/api/auth/error?error=${encodeURIComponent("café")}`), null, null)).toBeNull();
  });

  it("judges callback URLs as next-auth does", () => {
    expect(isAcceptableCallbackUrl("/")).toBe(true);
    expect(isAcceptableCallbackUrl("http://a.test")).toBe(true);
    expect(isAcceptableCallbackUrl("mailto:a@b.c")).toBe(false);
    expect(isAcceptableCallbackUrl("")).toBe(false);
  });
});
