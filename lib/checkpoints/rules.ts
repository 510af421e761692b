// When the scheduler signs: the log promises a checkpoint at least every N events or T
// seconds, whichever comes first, and never signs the same tree twice.

export type CheckpointPolicy = { everyEvents: number; everySeconds: number };

export type LogState = {
  /** Events in the log now. */
  logSize: bigint;
  /** The newest checkpoint, if any. */
  latest: { treeSize: bigint; timestamp: Date } | null;
  now: Date;
};

export function checkpointDue({ logSize, latest, now }: LogState, policy: CheckpointPolicy): boolean {
  if (logSize === 0n) return false;
  if (!latest) return true;
  const unsigned = logSize - latest.treeSize;
  if (unsigned <= 0n) return false;
  return (
    unsigned >= BigInt(policy.everyEvents) || now.getTime() - latest.timestamp.getTime() >= policy.everySeconds * 1000
  );
}
