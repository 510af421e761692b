import { z } from "zod";
import { OVERRIDE_REASONS } from "@/lib/domain/schema";

const rationale = z
  .string()
  .trim()
  .min(20, "Write a rationale of at least 20 characters: it is published with the decision.")
  .max(4_000, "Keep the rationale under 4,000 characters.");

export const finalizeSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("accept"), datapointId: z.uuid("Unknown datapoint."), rationale }),
  z.object({
    mode: z.literal("override"),
    datapointId: z.uuid("Unknown datapoint."),
    label: z.string().trim().min(1, "Choose the label to set.").max(40),
    overrideReason: z.enum(OVERRIDE_REASONS, "Choose a reason for the override."),
    rationale,
  }),
]);
export type FinalizeInput = z.infer<typeof finalizeSchema>;

export const overrideReviewSchema = z.object({
  decisionId: z.uuid("Unknown decision."),
  verdict: z.enum(["confirm", "decline"], "Confirm or decline the override."),
  rationale: z.string().trim().max(4_000).default(""),
});
export type OverrideReview = z.infer<typeof overrideReviewSchema>;

export const appealSchema = z.object({
  datapointId: z.uuid("Unknown datapoint."),
  reason: z
    .string()
    .trim()
    .min(20, "Explain the appeal in at least 20 characters.")
    .max(4_000, "Keep the appeal under 4,000 characters."),
});

export const appealResolutionSchema = z.object({
  appealId: z.uuid("Unknown appeal."),
  verdict: z.enum(["accept", "reject"], "Accept or reject the appeal."),
  rationale,
});
export type AppealResolution = z.infer<typeof appealResolutionSchema>;
