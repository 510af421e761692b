"use server";

import { revalidatePath } from "next/cache";
import { fileAppeal, resolveAppeal } from "@/lib/decisions/appeals/mutations";
import { currentUser } from "@/lib/auth/session";
import { NOT_ALLOWED, SIGN_IN_REQUIRED, done, failed, invalid, UNREADABLE_FORM, type FormState } from "@/lib/forms/state";
import { closeBatchNow } from "@/lib/batches/lifecycle/mutations";
import { canModerate } from "@/lib/users/policy";
import { z } from "zod";
import { finalizeDecision, reviewOverride } from "./mutations";
import { appealResolutionSchema, appealSchema, finalizeSchema, overrideReviewSchema } from "./schema";
import { noteWrite } from "@/lib/database/read-your-writes";

const fields = (form: FormData, names: string[]) => Object.fromEntries(names.map((n) => [n, form.get(n) ?? undefined]));

async function refresh(datapointId?: string) {
  await noteWrite();
  revalidatePath("/moderation");
  if (datapointId) {
    revalidatePath(`/moderation/datapoints/${datapointId}`);
    revalidatePath(`/datapoints/${datapointId}`);
  }
}

export async function finalizeAction(_previous: FormState, form: FormData): Promise<FormState> {
  if (!(form instanceof FormData)) return UNREADABLE_FORM;
  const parsed = finalizeSchema.safeParse(fields(form, ["mode", "datapointId", "label", "overrideReason", "rationale"]));
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const user = await currentUser();
  if (!user) return SIGN_IN_REQUIRED;
  if (!canModerate(user)) return NOT_ALLOWED;
  const result = await finalizeDecision(parsed.data, user.id);
  if (!result.ok) return failed(result.message);
  await refresh(parsed.data.datapointId);
  return done(result.status === "FINAL" ? "The label is final." : "Override proposed: a second moderator must confirm it.");
}

export async function reviewOverrideAction(_previous: FormState, form: FormData): Promise<FormState> {
  if (!(form instanceof FormData)) return UNREADABLE_FORM;
  const parsed = overrideReviewSchema.safeParse(fields(form, ["decisionId", "verdict", "rationale"]));
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const user = await currentUser();
  if (!user) return SIGN_IN_REQUIRED;
  if (!canModerate(user)) return NOT_ALLOWED;
  const result = await reviewOverride(parsed.data, user.id);
  if (!result.ok) return failed(result.message);
  await refresh(String(form.get("datapointId") ?? ""));
  return done(result.status === "FINAL" ? "Override confirmed: the label is final." : "Override declined.");
}

export async function fileAppealAction(_previous: FormState, form: FormData): Promise<FormState> {
  if (!(form instanceof FormData)) return UNREADABLE_FORM;
  const parsed = appealSchema.safeParse(fields(form, ["datapointId", "reason"]));
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const user = await currentUser();
  if (!user) return SIGN_IN_REQUIRED;
  const result = await fileAppeal(parsed.data, user.id);
  if (!result.ok) return failed(result.message);
  await refresh(parsed.data.datapointId);
  return done("Your appeal was filed; a moderator will answer it publicly.");
}

export async function resolveAppealAction(_previous: FormState, form: FormData): Promise<FormState> {
  if (!(form instanceof FormData)) return UNREADABLE_FORM;
  const parsed = appealResolutionSchema.safeParse(fields(form, ["appealId", "verdict", "rationale"]));
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const user = await currentUser();
  if (!user) return SIGN_IN_REQUIRED;
  if (!canModerate(user)) return NOT_ALLOWED;
  const result = await resolveAppeal(parsed.data, user.id);
  if (!result.ok) return failed(result.message);
  await refresh(String(form.get("datapointId") ?? ""));
  return done(parsed.data.verdict === "accept" ? "Appeal accepted: voting has reopened." : "Appeal rejected.");
}

export async function closeBatchAction(_previous: FormState, form: FormData): Promise<FormState> {
  if (!(form instanceof FormData)) return UNREADABLE_FORM;
  const parsed = z.object({ batchId: z.uuid("Unknown batch.") }).safeParse(fields(form, ["batchId"]));
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const user = await currentUser();
  if (!user) return SIGN_IN_REQUIRED;
  const result = await closeBatchNow(parsed.data.batchId, user.id);
  if (!result.ok) return failed(result.message);
  await refresh();
  revalidatePath("/batches/[slug]", "page");
  return done(`Voting closed on ${result.closed} datapoint${result.closed === 1 ? "" : "s"}.`);
}
