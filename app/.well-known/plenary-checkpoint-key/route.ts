import { publishedKeyResponse } from "@/lib/checkpoints/api";

export const dynamic = "force-dynamic";

/** The public key that signs checkpoints: PEM, raw base64 and the C2SP verifier key string. */
export function GET() {
  return publishedKeyResponse();
}
