"use server";

import { revalidatePath } from "next/cache";
import { currentUser } from "@/lib/auth/session";
import { SIGN_IN_REQUIRED, done, failed, invalid, UNREADABLE_FORM, type FormState } from "@/lib/forms/state";
import { canParticipate } from "@/lib/users/policy";
import { castVote } from "./mutations";
import { voteInputSchema } from "./schema";
import { noteWrite } from "@/lib/database/read-your-writes";

export async function castVoteAction(_previous: FormState, form: FormData): Promise<FormState> {
  if (!(form instanceof FormData)) return UNREADABLE_FORM;
  const parsed = voteInputSchema.safeParse({
    datapointId: form.get("datapointId"),
    option: form.get("option") ?? "",
    rationale: form.get("rationale") ?? "",
    idempotencyKey: form.get("idempotencyKey"),
  });
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const user = await currentUser();
  if (!canParticipate(user)) return SIGN_IN_REQUIRED;

  const result = await castVote(parsed.data, user!.id);
  if (!result.ok) return failed(result.message);
  await noteWrite();
  revalidatePath(`/datapoints/${parsed.data.datapointId}`);
  if (result.duplicate) return done("Your vote was already recorded.");
  return done(result.changed ? "Your vote was changed." : "Your vote was recorded.");
}
