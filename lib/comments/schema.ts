// What people may submit to the discussion. Messages are whole sentences because the
// forms show them as they are.
import { z } from "zod";
import { markdownRefusal } from "./rules";
import { FLAG_REASONS } from "@/lib/domain/schema";

const COMMENT_MAX_LENGTH = 10_000;
const FLAG_NOTE_MAX_LENGTH = 1_000;
const REDACTION_REASON_MAX_LENGTH = 500;

// A bad id only comes from a stale or tampered form, never from typing.
const STALE_FORM = "This form is out of date. Please reload the page and try again.";
const id = z.uuid({ error: STALE_FORM });

const EMPTY_COMMENT = "Please write something before posting.";
export const commentBodySchema = z
  .string({ error: EMPTY_COMMENT })
  .trim()
  .min(1, EMPTY_COMMENT)
  .max(COMMENT_MAX_LENGTH, `A comment can be at most ${COMMENT_MAX_LENGTH.toLocaleString("en")} characters long.`)
  .superRefine((body, context) => {
    const refusal = markdownRefusal(body);
    if (refusal) context.addIssue({ code: "custom", message: refusal });
  });

export const newCommentSchema = z.strictObject({
  datapointId: id,
  parentId: id.optional(),
  body: commentBodySchema,
});

export const editCommentSchema = z.strictObject({ commentId: id, body: commentBodySchema });
export const deleteCommentSchema = z.strictObject({ commentId: id });

export const redactionSchema = z.strictObject({
  commentId: id,
  reason: z
    .string({ error: "Please give the reason for the redaction." })
    .trim()
    .min(1, "Please give the reason for the redaction.")
    .max(REDACTION_REASON_MAX_LENGTH, `The reason can be at most ${REDACTION_REASON_MAX_LENGTH} characters long.`),
});

/** The same values as Prisma's FlagReason enum (schema.ts stays free of Prisma). */

const flagTargetSchema = z.enum(["comment", "datapoint"]);
export type FlagTarget = z.infer<typeof flagTargetSchema>;

export const flagSchema = z.strictObject({
  target: flagTargetSchema,
  id,
  reason: z.enum(FLAG_REASONS, { error: "Please choose a reason for the flag." }),
  note: z
    .string()
    .trim()
    .max(FLAG_NOTE_MAX_LENGTH, `The note can be at most ${FLAG_NOTE_MAX_LENGTH.toLocaleString("en")} characters long.`)
    .optional()
    .transform((note) => note || undefined),
});
export type NewFlag = z.input<typeof flagSchema>;

/**
 * The named text fields of a submitted form. Blank fields and files count as absent, so
 * an empty optional field (a top-level comment's parentId) is simply not there.
 */
export function readForm(formData: FormData, names: readonly string[]): Record<string, string | undefined> {
  const fields: Record<string, string | undefined> = {};
  for (const name of names) {
    const value = formData.get(name);
    fields[name] = typeof value === "string" && value !== "" ? value : undefined;
  }
  return fields;
}
