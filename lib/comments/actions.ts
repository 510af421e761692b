"use server";
// Thin server actions of the discussion forms: parse the form, check who is asking
// against fresh database state, call one mutation, refresh the datapoint page.
import { revalidatePath } from "next/cache";
import { currentUser } from "@/lib/auth/session";
import { done, failed, invalid, SIGN_IN_REQUIRED, UNREADABLE_FORM, type FormState } from "@/lib/forms/state";
import { canParticipate } from "@/lib/users/policy";
import { deleteComment, editComment, flag, postComment, type Outcome } from "./mutations";
import { deleteCommentSchema, editCommentSchema, flagSchema, newCommentSchema, readForm, type FlagTarget } from "./schema";
import { noteWrite } from "@/lib/database/read-your-writes";

type Action = (userId: string, formData: FormData) => Promise<FormState>;

/**
 * The common frame: sign-in required, and an unexpected failure is logged and answered
 * with a sentence instead of the error page, so the typed text stays in the form.
 */
async function asSignedInUser(formData: FormData, action: Action): Promise<FormState> {
  if (!(formData instanceof FormData)) return UNREADABLE_FORM;
  try {
    const user = await currentUser();
    if (!user || !canParticipate(user)) return SIGN_IN_REQUIRED;
    return await action(user.id, formData);
  } catch (error) {
    console.error("discussion action failed", error);
    return failed("Something went wrong on our side and nothing was saved. Please try again.");
  }
}

async function settle(outcome: Outcome<{ datapointId: string }>, success: string): Promise<FormState> {
  if (!outcome.ok) return failed(outcome.message);
  await noteWrite();
  revalidatePath(`/datapoints/${outcome.datapointId}`);
  return done(success);
}

/** A new top-level comment, or a reply when the form carries `parentId`. */
export async function postCommentAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return asSignedInUser(formData, async (userId) => {
    const parsed = newCommentSchema.safeParse(readForm(formData, ["datapointId", "parentId", "body"]));
    if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
    return settle(await postComment(parsed.data, userId), parsed.data.parentId ? "Your reply is posted." : "Your comment is posted.");
  });
}

export async function editCommentAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return asSignedInUser(formData, async (userId) => {
    const parsed = editCommentSchema.safeParse(readForm(formData, ["commentId", "body"]));
    if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
    const outcome = await editComment(parsed.data.commentId, parsed.data.body, userId);
    return settle(outcome, outcome.ok && outcome.unchanged ? "Nothing changed." : "Your edit is saved.");
  });
}

export async function deleteCommentAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return asSignedInUser(formData, async (userId) => {
    const parsed = deleteCommentSchema.safeParse(readForm(formData, ["commentId"]));
    if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
    return settle(await deleteComment(parsed.data.commentId, userId), "Your comment is deleted.");
  });
}

function flagAction(target: FlagTarget) {
  return (formData: FormData) =>
    asSignedInUser(formData, async (userId) => {
      const parsed = flagSchema.safeParse({ target, ...readForm(formData, ["id", "reason", "note"]) });
      if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
      return settle(await flag(parsed.data, userId), "Thank you. Moderators will review your flag.");
    });
}

export async function flagCommentAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return flagAction("comment")(formData);
}

export async function flagDatapointAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return flagAction("datapoint")(formData);
}
