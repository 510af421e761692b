import { z } from "zod";
import { sha256Hex } from "@/lib/domain/schema";

export const policyChangeSchema = z.object({
  batchId: z.uuid("Unknown batch."),
  policyHash: sha256Hex("Choose a published policy."),
  reason: z.string().trim().min(10, "Explain the change in at least 10 characters.").max(1_000),
});
