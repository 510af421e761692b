// The one frame of every server action (Rallly's safe-action in spirit): the form as sent,
// its fields parsed with zod, the current user read fresh from the database and checked by
// a pure policy, then the action's own work; an unexpected failure is logged and answered
// with a sentence, so the typed text stays in the form and the person never sees a stack.
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { currentUser } from "@/lib/auth/session";
import type { CurrentUser } from "@/lib/users/data";
import { failed, invalid, NOT_ALLOWED, SIGN_IN_REQUIRED, UNREADABLE_FORM, type FormState } from "./state";

export type FormActionSpec<S extends z.ZodType, State extends FormState> = {
  /** Shown in the server's log when the action fails unexpectedly. */
  name: string;
  /** What the schema parses, read from the form (fields as sent; absent ones as the schema expects). */
  input: (form: FormData) => unknown;
  schema: S;
  /** The message for a refused input; by default the first field's. */
  invalidMessage?: string;
  /** Who may act, judged on fresh database state (a pure policy); by default anyone signed in. */
  allow?: (user: CurrentUser) => boolean;
  /** What a signed-in user whom `allow` refuses is told. */
  refusal?: FormState;
  run: (input: z.output<S>, user: CurrentUser, form: FormData) => Promise<State>;
};

/**
 * A server action built on the frame. `State` is FormState or FormState with optional extras
 * (the import's report), so the frame's own answers are States too.
 */
export function formAction<S extends z.ZodType, State extends FormState = FormState>(spec: FormActionSpec<S, State>) {
  const answer = (state: FormState) => state as State;
  return async function action(_previous: State, form: FormData): Promise<State> {
    // Server actions take their form as sent; anything but FormData is a crafted request.
    if (!(form instanceof FormData)) return answer(UNREADABLE_FORM);
    const parsed = spec.schema.safeParse(spec.input(form));
    if (!parsed.success) return answer(invalid(parsed.error, spec.invalidMessage ?? parsed.error.issues[0]?.message));
    try {
      const user = await currentUser();
      if (!user) return answer(SIGN_IN_REQUIRED);
      if (spec.allow && !spec.allow(user)) return answer(spec.refusal ?? NOT_ALLOWED);
      return await spec.run(parsed.data, user, form);
    } catch (error) {
      // redirect() and notFound() throw on purpose: Next must see them.
      unstable_rethrow(error);
      console.error(`plenary: ${spec.name} failed`, error);
      return answer(failed("Something went wrong on our side and nothing was saved. Please try again."));
    }
  };
}

/** The named fields of a form, absent ones as undefined. */
export const formFields = (form: FormData, names: readonly string[]) =>
  Object.fromEntries(names.map((n) => [n, form.get(n) ?? undefined]));
