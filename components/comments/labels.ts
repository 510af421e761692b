// Display text of the discussion (no domain logic, no I/O). Kept out of lib/comments/
// schema.ts so client components can use it without shipping zod to the browser.
import type { FlagReason as FlagReasonName } from "@/lib/domain/schema";

export const FLAG_REASON_LABEL: Record<FlagReasonName, string> = {
  SPAM: "Spam or advertising",
  ABUSE: "Abusive or harassing",
  PERSONAL_DATA: "Contains personal data",
  OFF_TOPIC: "Off topic",
  MISLABELED: "Wrong or misleading label",
  OTHER: "Something else",
};
