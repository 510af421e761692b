// Every minute in each server process: forget the shared API rate-limit buckets that have
// refilled completely, so the table holds the clients seen within one refill time, not every
// address ever seen. Several instances sweeping at once delete the same rows; harmless.
import { apiRateLimits } from "@/lib/env";
import { startRepeating } from "@/lib/runtime/repeat";
import { sweepSharedBuckets } from "./mutations";

export function startRateBucketSweep(): (() => void) | null {
  const limits = apiRateLimits();
  if (!limits) return null;
  return startRepeating("forgetting refilled rate-limit buckets", 60_000, () => sweepSharedBuckets(limits));
}
