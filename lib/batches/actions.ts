"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { noteWrite } from "@/lib/database/read-your-writes";
import { formAction, formFields } from "@/lib/forms/action";
import { done, failed } from "@/lib/forms/state";
import { canChoosePolicies } from "@/lib/users/policy";
import { closeBatchNow } from "./lifecycle/mutations";
import { changeBatchPolicy } from "./mutations";
import { policyChangeSchema } from "./schema";

export const changeBatchPolicyAction = formAction({
  name: "changeBatchPolicyAction",
  schema: policyChangeSchema,
  input: (form) => ({
    batchId: form.get("batchId"),
    policyHash: form.get("policyHash"),
    reason: form.get("reason") ?? "",
  }),
  allow: canChoosePolicies,
  run: async ({ batchId, policyHash, reason }, admin) => {
    const result = await changeBatchPolicy(batchId, policyHash, reason, admin.id);
    if (!result.ok) return failed(result.message);
    await noteWrite();
    revalidatePath("/batches/[slug]", "page");
    return done(
      result.changed
        ? "The batch's policy was changed and the change recorded."
        : "The batch already uses that policy.",
    );
  },
});

/** A moderator or admin ends voting in a batch now (closeBatchNow checks the role in its transaction). */
export const closeBatchAction = formAction({
  name: "closeBatchAction",
  schema: z.object({ batchId: z.uuid("Unknown batch.") }),
  input: (form) => formFields(form, ["batchId"]),
  run: async ({ batchId }, user) => {
    const result = await closeBatchNow(batchId, user.id);
    if (!result.ok) return failed(result.message);
    await noteWrite();
    revalidatePath("/moderation");
    revalidatePath("/batches/[slug]", "page");
    return done(`Voting closed on ${result.closed} datapoint${result.closed === 1 ? "" : "s"}.`);
  },
});
