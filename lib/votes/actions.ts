"use server";

import { revalidatePath } from "next/cache";
import { noteWrite } from "@/lib/database/read-your-writes";
import { formAction } from "@/lib/forms/action";
import { done, failed } from "@/lib/forms/state";
import { castVote } from "./mutations";
import { voteInputSchema } from "./schema";

export const castVoteAction = formAction({
  name: "castVoteAction",
  schema: voteInputSchema,
  input: (form) => ({
    datapointId: form.get("datapointId"),
    option: form.get("option") ?? "",
    rationale: form.get("rationale") ?? "",
    idempotencyKey: form.get("idempotencyKey"),
  }),
  run: async (vote, user) => {
    const result = await castVote(vote, user.id);
    if (!result.ok) return failed(result.message);
    await noteWrite();
    revalidatePath(`/datapoints/${vote.datapointId}`);
    if (result.duplicate) return done("Your vote was already recorded.");
    return done(result.changed ? "Your vote was changed." : "Your vote was recorded.");
  },
});
