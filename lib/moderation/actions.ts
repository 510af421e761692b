"use server";

import { revalidatePath } from "next/cache";
import { currentUser } from "@/lib/auth/session";
import { NOT_ALLOWED, SIGN_IN_REQUIRED, done, failed, invalid, UNREADABLE_FORM, type FormState } from "@/lib/forms/state";
import { canModerate } from "@/lib/users/policy";
import { dismissFlag, hideComment, keepComment } from "./mutations";
import { commentModerationSchema, flagDismissalSchema } from "./schema";
import { noteWrite } from "@/lib/database/read-your-writes";

async function moderator() {
  const user = await currentUser();
  if (!user) return { error: SIGN_IN_REQUIRED };
  if (!canModerate(user)) return { error: NOT_ALLOWED };
  return { user };
}

async function refresh(form: FormData) {
  await noteWrite();
  revalidatePath("/moderation");
  const datapointId = form.get("datapointId");
  if (typeof datapointId === "string") revalidatePath(`/datapoints/${datapointId}`);
}

export async function hideCommentAction(_previous: FormState, form: FormData): Promise<FormState> {
  if (!(form instanceof FormData)) return UNREADABLE_FORM;
  const parsed = commentModerationSchema.safeParse({ commentId: form.get("commentId"), reason: form.get("reason") ?? "" });
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const { user, error } = await moderator();
  if (error) return error;
  const result = await hideComment(parsed.data.commentId, parsed.data.reason, user.id);
  if (!result.ok) return failed(result.message);
  await refresh(form);
  return done("Comment hidden; its author sees why.");
}

export async function keepCommentAction(_previous: FormState, form: FormData): Promise<FormState> {
  if (!(form instanceof FormData)) return UNREADABLE_FORM;
  const parsed = commentModerationSchema.safeParse({ commentId: form.get("commentId"), reason: form.get("reason") ?? "" });
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const { user, error } = await moderator();
  if (error) return error;
  const result = await keepComment(parsed.data.commentId, parsed.data.reason, user.id);
  if (!result.ok) return failed(result.message);
  await refresh(form);
  return done("Comment kept; its flags are resolved.");
}

export async function dismissFlagAction(_previous: FormState, form: FormData): Promise<FormState> {
  if (!(form instanceof FormData)) return UNREADABLE_FORM;
  const parsed = flagDismissalSchema.safeParse({ flagId: form.get("flagId"), reason: form.get("reason") ?? "" });
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const { user, error } = await moderator();
  if (error) return error;
  const result = await dismissFlag(parsed.data.flagId, parsed.data.reason, user.id);
  if (!result.ok) return failed(result.message);
  await refresh(form);
  return done("Flag dismissed.");
}
