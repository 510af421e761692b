import { describe, expect, it } from "vitest";
import { RATE_LIMITS, rateLimitVerdict } from "./rules";

const now = new Date("2026-11-27T12:00:00Z");
const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000);

describe("rateLimitVerdict", () => {
  it("allows actions below the limit and ignores those outside the window", () => {
    const recent = Array.from({ length: RATE_LIMITS.vote.max - 1 }, (_, i) => secondsAgo(i));
    expect(rateLimitVerdict("vote", recent, now)).toEqual({ ok: true });
    const old = Array.from({ length: 100 }, () => secondsAgo(61));
    expect(rateLimitVerdict("vote", old, now)).toEqual({ ok: true });
  });

  it("refuses at the limit with a clear message and when to retry", () => {
    const recent = Array.from({ length: RATE_LIMITS.comment.max }, (_, i) => secondsAgo(60 * i + 30));
    const verdict = rateLimitVerdict("comment", recent, now);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    // The oldest of the ten (570 s ago) leaves the 600 s window in 30 s.
    expect(verdict.retryAfterSeconds).toBe(30);
    expect(verdict.message).toBe("You have reached the limit of 10 comments per 10 minutes. Please try again in 30 s.");
  });
});
