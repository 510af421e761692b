"use server";

import { revalidatePath } from "next/cache";
import { noteWrite } from "@/lib/database/read-your-writes";
import { formAction } from "@/lib/forms/action";
import { done, failed } from "@/lib/forms/state";
import { canModerate } from "@/lib/users/policy";
import { dismissFlag, hideComment, keepComment } from "./mutations";
import { commentModerationSchema, flagDismissalSchema } from "./schema";

async function refresh(form: FormData) {
  await noteWrite();
  revalidatePath("/moderation");
  const datapointId = form.get("datapointId");
  if (typeof datapointId === "string") revalidatePath(`/datapoints/${datapointId}`);
}

const commentInput = (form: FormData) => ({ commentId: form.get("commentId"), reason: form.get("reason") ?? "" });

export const hideCommentAction = formAction({
  name: "hideCommentAction",
  schema: commentModerationSchema,
  input: commentInput,
  allow: canModerate,
  run: async ({ commentId, reason }, moderator, form) => {
    const result = await hideComment(commentId, reason, moderator.id);
    if (!result.ok) return failed(result.message);
    await refresh(form);
    return done("Comment hidden; its author sees why.");
  },
});

export const keepCommentAction = formAction({
  name: "keepCommentAction",
  schema: commentModerationSchema,
  input: commentInput,
  allow: canModerate,
  run: async ({ commentId, reason }, moderator, form) => {
    const result = await keepComment(commentId, reason, moderator.id);
    if (!result.ok) return failed(result.message);
    await refresh(form);
    return done("Comment kept; its flags are resolved.");
  },
});

export const dismissFlagAction = formAction({
  name: "dismissFlagAction",
  schema: flagDismissalSchema,
  input: (form) => ({ flagId: form.get("flagId"), reason: form.get("reason") ?? "" }),
  allow: canModerate,
  run: async ({ flagId, reason }, moderator, form) => {
    const result = await dismissFlag(flagId, reason, moderator.id);
    if (!result.ok) return failed(result.message);
    await refresh(form);
    return done("Flag dismissed.");
  },
});
