// The checkpoint signing key's public half, for releases and /api/exports/checkpoint-key.pem.
import { existsSync } from "node:fs";
import { publishedKey, type PublishedKey } from "@/lib/checkpoints/signer";
import { checkpointKeyFile } from "@/lib/runtime/checkpoint-key";

/**
 * The published key, or null when no key file exists. Exporting never creates one (reading
 * the configured signer would): a fresh key would sign nothing in this log, and a release
 * carrying it would tell verifiers to trust the wrong key.
 */
export function checkpointPublicKey(): PublishedKey | null {
  if (!existsSync(checkpointKeyFile().file)) return null;
  return publishedKey();
}
