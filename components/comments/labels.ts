// Display text of the discussion (no domain logic, no I/O). Kept out of lib/comments/
// schema.ts so client components can use it without shipping zod to the browser.
import type { FlagReasonName } from "@/lib/comments/schema";

export const FLAG_REASON_LABEL: Record<FlagReasonName, string> = {
  SPAM: "Spam or advertising",
  ABUSE: "Abusive or harassing",
  PERSONAL_DATA: "Contains personal data",
  OFF_TOPIC: "Off topic",
  MISLABELED: "Wrong or misleading label",
  OTHER: "Something else",
};

const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** Absolute UTC time: the same on the server and in every reader's browser. */
export const formatTime = (date: Date): string => `${timeFormat.format(date)} UTC`;
