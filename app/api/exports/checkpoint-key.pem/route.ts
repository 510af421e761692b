import { checkpointKeyExportResponse } from "@/lib/exports/api";

export const dynamic = "force-dynamic";

/** The Ed25519 public key that signs checkpoints, as a PEM file (JSON form: /.well-known/plenary-checkpoint-key). */
export function GET() {
  return checkpointKeyExportResponse();
}
