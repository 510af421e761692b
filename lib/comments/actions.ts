"use server";
// Thin server actions of the discussion forms, on the one action frame (lib/forms/action.ts):
// parse the form, check who is asking against fresh database state, call one mutation,
// refresh the datapoint page.
import { revalidatePath } from "next/cache";
import { noteWrite } from "@/lib/database/read-your-writes";
import { formAction } from "@/lib/forms/action";
import { done, failed, type FormState } from "@/lib/forms/state";
import { deleteComment, editComment, flag, postComment, type Outcome } from "./mutations";
import {
  deleteCommentSchema,
  editCommentSchema,
  flagSchema,
  newCommentSchema,
  readForm,
  type FlagTarget,
} from "./schema";

async function settle(outcome: Outcome<{ datapointId: string }>, success: string): Promise<FormState> {
  if (!outcome.ok) return failed(outcome.message);
  await noteWrite();
  revalidatePath(`/datapoints/${outcome.datapointId}`);
  return done(success);
}

/** A new top-level comment, or a reply when the form carries `parentId`. */
export const postCommentAction = formAction({
  name: "postCommentAction",
  schema: newCommentSchema,
  input: (form) => readForm(form, ["datapointId", "parentId", "body"]),
  run: async (comment, user) =>
    settle(await postComment(comment, user.id), comment.parentId ? "Your reply is posted." : "Your comment is posted."),
});

export const editCommentAction = formAction({
  name: "editCommentAction",
  schema: editCommentSchema,
  input: (form) => readForm(form, ["commentId", "body"]),
  run: async ({ commentId, body }, user) => {
    const outcome = await editComment(commentId, body, user.id);
    return settle(outcome, outcome.ok && outcome.unchanged ? "Nothing changed." : "Your edit is saved.");
  },
});

export const deleteCommentAction = formAction({
  name: "deleteCommentAction",
  schema: deleteCommentSchema,
  input: (form) => readForm(form, ["commentId"]),
  run: async ({ commentId }, user) => settle(await deleteComment(commentId, user.id), "Your comment is deleted."),
});

const flagAction = (target: FlagTarget) =>
  formAction({
    name: `flag ${target} action`,
    schema: flagSchema,
    input: (form) => ({ target, ...readForm(form, ["id", "reason", "note"]) }),
    run: async (raised, user) => settle(await flag(raised, user.id), "Thank you. Moderators will review your flag."),
  });

export const flagCommentAction = flagAction("comment");
export const flagDatapointAction = flagAction("datapoint");
