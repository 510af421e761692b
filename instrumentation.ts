// Runs once when a Next.js server starts. It starts the checkpoint scheduler, which signs the
// audit log's Merkle tree every N events or T seconds (lib/checkpoints/schedule.ts), the
// lifecycle scheduler that opens and closes batches on time (lib/batches/lifecycle/schedule.ts), and
// the sweep that sequences queued audit events left by an interrupted vote (lib/audit/schedule.ts),
// and the sweep of refilled API rate-limit buckets (lib/limits/schedule.ts); and it hands the
// production server the check it makes of large request bodies before Next reads them.
export async function register() {
  // NEXT_RUNTIME is Next's own marker, inlined at build time, not a Plenary setting (those
  // live in lib/env.ts); checking it here keeps the database code out of the edge bundle.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // The production server refuses large request bodies unread through this (lib/http/request-guard.ts).
  const { registerUnreadBodyGuard } = await import("@/lib/http/request-guard");
  registerUnreadBodyGuard();
  try {
    const { startCheckpointScheduler } = await import("@/lib/checkpoints/schedule");
    startCheckpointScheduler();
    const { startLifecycleScheduler } = await import("@/lib/batches/lifecycle/schedule");
    startLifecycleScheduler();
    const { startAuditQueueScheduler } = await import("@/lib/audit/schedule");
    startAuditQueueScheduler();
    const { startRateBucketSweep } = await import("@/lib/limits/schedule");
    startRateBucketSweep();
  } catch (error) {
    // Serving the site matters more than signing on time: report, and let requests proceed.
    console.error(`plenary: a scheduler did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}
