"use server";

import { revalidatePath } from "next/cache";
import { noteWrite } from "@/lib/database/read-your-writes";
import { formAction, formFields } from "@/lib/forms/action";
import { done, failed } from "@/lib/forms/state";
import { canModerate } from "@/lib/users/policy";
import { fileAppeal, resolveAppeal } from "./appeals/mutations";
import { finalizeDecision, reviewOverride } from "./mutations";
import { appealResolutionSchema, appealSchema, finalizeSchema, overrideReviewSchema } from "./schema";

async function refresh(datapointId: string) {
  await noteWrite();
  revalidatePath("/moderation");
  revalidatePath(`/moderation/datapoints/${datapointId}`);
  revalidatePath(`/datapoints/${datapointId}`);
}

/** The datapoint a review or an appeal's form was sent from, for refreshing its pages. */
const formDatapoint = (form: FormData) => String(form.get("datapointId") ?? "");

export const finalizeAction = formAction({
  name: "finalizeAction",
  schema: finalizeSchema,
  input: (form) => formFields(form, ["mode", "datapointId", "label", "overrideReason", "rationale"]),
  allow: canModerate,
  run: async (decision, moderator) => {
    const result = await finalizeDecision(decision, moderator.id);
    if (!result.ok) return failed(result.message);
    await refresh(decision.datapointId);
    return done(
      result.status === "FINAL" ? "The label is final." : "Override proposed: a second moderator must confirm it.",
    );
  },
});

export const reviewOverrideAction = formAction({
  name: "reviewOverrideAction",
  schema: overrideReviewSchema,
  input: (form) => formFields(form, ["decisionId", "verdict", "rationale"]),
  allow: canModerate,
  run: async (review, moderator, form) => {
    const result = await reviewOverride(review, moderator.id);
    if (!result.ok) return failed(result.message);
    await refresh(formDatapoint(form));
    return done(result.status === "FINAL" ? "Override confirmed: the label is final." : "Override declined.");
  },
});

export const fileAppealAction = formAction({
  name: "fileAppealAction",
  schema: appealSchema,
  input: (form) => formFields(form, ["datapointId", "reason"]),
  run: async (appeal, user) => {
    const result = await fileAppeal(appeal, user.id);
    if (!result.ok) return failed(result.message);
    await refresh(appeal.datapointId);
    return done("Your appeal was filed; a moderator will answer it publicly.");
  },
});

export const resolveAppealAction = formAction({
  name: "resolveAppealAction",
  schema: appealResolutionSchema,
  input: (form) => formFields(form, ["appealId", "verdict", "rationale"]),
  allow: canModerate,
  run: async (resolution, moderator, form) => {
    const result = await resolveAppeal(resolution, moderator.id);
    if (!result.ok) return failed(result.message);
    await refresh(formDatapoint(form));
    return done(resolution.verdict === "accept" ? "Appeal accepted: voting has reopened." : "Appeal rejected.");
  },
});
