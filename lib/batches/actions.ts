"use server";

import { revalidatePath } from "next/cache";
import { currentUser } from "@/lib/auth/session";
import { NOT_ALLOWED, SIGN_IN_REQUIRED, done, failed, invalid, UNREADABLE_FORM, type FormState } from "@/lib/forms/state";
import { canChoosePolicies } from "@/lib/users/policy";
import { changeBatchPolicy } from "./mutations";
import { policyChangeSchema } from "./schema";
import { noteWrite } from "@/lib/database/read-your-writes";

export async function changeBatchPolicyAction(_previous: FormState, form: FormData): Promise<FormState> {
  if (!(form instanceof FormData)) return UNREADABLE_FORM;
  const parsed = policyChangeSchema.safeParse({ batchId: form.get("batchId"), policyHash: form.get("policyHash"), reason: form.get("reason") ?? "" });
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const admin = await currentUser();
  if (!admin) return SIGN_IN_REQUIRED;
  if (!canChoosePolicies(admin)) return NOT_ALLOWED;
  const result = await changeBatchPolicy(parsed.data.batchId, parsed.data.policyHash, parsed.data.reason, admin.id);
  if (!result.ok) return failed(result.message);
  await noteWrite();
  revalidatePath("/batches/[slug]", "page");
  return done(result.changed ? "The batch's policy was changed and the change recorded." : "The batch already uses that policy.");
}
