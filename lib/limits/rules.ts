// Per-user rate limits on what citizens write. Counted from the rows themselves (not an
// in-memory counter), so they hold across app instances and restarts.
export const RATE_LIMITS = {
  vote: { max: 30, windowSeconds: 60, noun: "votes" },
  comment: { max: 10, windowSeconds: 600, noun: "comments" },
  flag: { max: 20, windowSeconds: 3_600, noun: "flags" },
} as const;

export type LimitedAction = keyof typeof RATE_LIMITS;

/**
 * The key of the per-user, per-action advisory lock that serialises a user's requests of one
 * kind (checkRateLimit; castVote's plenary_cast_vote takes the same lock).
 */
export function rateLimitLockKey(action: LimitedAction, userId: string): string {
  return `rate-limit:${action}:${userId}`;
}

export type LimitVerdict =
  { ok: true } | { ok: false; reason: "RATE_LIMITED"; message: string; retryAfterSeconds: number };

/** Verdict from the times of the user's recent actions of this kind (any order). */
export function rateLimitVerdict(action: LimitedAction, recent: Date[], now: Date): LimitVerdict {
  const limit = RATE_LIMITS[action];
  const windowStart = now.getTime() - limit.windowSeconds * 1000;
  const inWindow = recent
    .map((d) => d.getTime())
    .filter((t) => t > windowStart)
    .sort((a, b) => a - b);
  if (inWindow.length < limit.max) return { ok: true };
  // The oldest action in the window has to age out before another is allowed.
  const retryAfterSeconds = Math.max(1, Math.ceil((inWindow[inWindow.length - limit.max]! - windowStart) / 1000));
  return {
    ok: false,
    reason: "RATE_LIMITED",
    message: `You have reached the limit of ${limit.max} ${limit.noun} per ${describeWindow(limit.windowSeconds)}. Please try again in ${describeWait(retryAfterSeconds)}.`,
    retryAfterSeconds,
  };
}

function describeWindow(seconds: number): string {
  if (seconds % 3_600 === 0) return seconds === 3_600 ? "hour" : `${seconds / 3_600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? "minute" : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}

function describeWait(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
