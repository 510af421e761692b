import { publishedKeyResponse } from "@/lib/checkpoints/api";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The public key that signs checkpoints: PEM, raw base64 and the C2SP verifier key string. */
export const GET = route({ handle: () => publishedKeyResponse() });
