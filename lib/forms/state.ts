// The state every form's server action returns: the user always gets a sentence, and
// field-level messages where a field was at fault. Never a stack trace.
import type { z } from "zod";

export type FormState =
  | { status: "idle" }
  | { status: "ok"; message: string }
  | { status: "error"; message: string; fieldErrors?: Record<string, string> };

export const idle: FormState = { status: "idle" };

export function invalid(error: z.ZodError, message = "Please correct the highlighted fields."): FormState {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    fieldErrors[key] ??= issue.message;
  }
  return { status: "error", message, fieldErrors };
}

export const failed = (message: string): FormState => ({ status: "error", message });
export const done = (message: string): FormState => ({ status: "ok", message });

export const SIGN_IN_REQUIRED = failed("Please sign in first.");
export const NOT_ALLOWED = failed("You do not have permission to do that.");
/** Server actions take their form as sent; anything but FormData is a crafted request, not a form. */
export const UNREADABLE_FORM = failed("This form could not be read; please reload the page and try again.");
