import { z } from "zod";

export const policyChangeSchema = z.object({
  batchId: z.uuid("Unknown batch."),
  policyHash: z.string().regex(/^[0-9a-f]{64}$/, "Choose a published policy."),
  reason: z.string().trim().min(10, "Explain the change in at least 10 characters.").max(1_000),
});
