import { z } from "zod";

const reason = z
  .string()
  .trim()
  .min(5, "Give a reason of at least 5 characters.")
  .max(500, "Keep the reason under 500 characters.");

export const commentModerationSchema = z.object({ commentId: z.uuid("Unknown comment."), reason });
export const flagDismissalSchema = z.object({ flagId: z.uuid("Unknown flag."), reason });
