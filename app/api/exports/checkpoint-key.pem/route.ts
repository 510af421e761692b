import { checkpointKeyExportResponse } from "@/lib/exports/api";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The Ed25519 public key that signs checkpoints, as a PEM file (JSON form: /.well-known/plenary-checkpoint-key). */
export const GET = route({ handle: () => checkpointKeyExportResponse() });
