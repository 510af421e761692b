// Reads behind /verify: the log's published key and its latest signed checkpoint.
import { latestCheckpoint, logSize, readLogAt } from "@/lib/checkpoints/data";
import { ConfigError } from "@/lib/env";
import { checkpointPublicKey } from "@/lib/exports/key";

type SigningKey =
  | { state: "published"; origin: string; keyId: string; fingerprint: string; verifierKey: string }
  /** No key file yet: nothing has been signed, and reading the key here must not create one. */
  | { state: "none" }
  /** A key file that cannot be used (not Ed25519, not PEM): /.well-known answers 503 too. */
  | { state: "unusable" };

export type VerificationOverview = {
  key: SigningKey;
  head: bigint;
  checkpoint: { treeSize: bigint; timestamp: Date; keyId: string } | null;
};

export async function verificationOverview(): Promise<VerificationOverview> {
  const [head, checkpoint] = await readLogAt({}, () => Promise.all([logSize(), latestCheckpoint()]));
  return {
    key: signingKey(),
    head,
    checkpoint: checkpoint && {
      treeSize: checkpoint.treeSize,
      timestamp: checkpoint.timestamp,
      keyId: checkpoint.keyId,
    },
  };
}

function signingKey(): SigningKey {
  try {
    const key = checkpointPublicKey();
    if (!key) return { state: "none" };
    return {
      state: "published",
      origin: key.origin,
      keyId: key.keyId,
      fingerprint: key.fingerprint,
      verifierKey: key.verifierKey,
    };
  } catch (error) {
    if (error instanceof ConfigError) return { state: "unusable" };
    throw error;
  }
}
