import { demoSignInForm, demoSignInResponse } from "@/lib/auth/demo";
import { route } from "@/lib/http/route";

/** Demo sign-in (PLENARY_DEMO=1 only): a form POST from /signin naming a seeded demo account. */
export const POST = route({
  sameOrigin: "Demo sign-in must come from this site's own sign-in page.",
  body: { form: demoSignInForm, maxBytes: 4_096, noun: "the sign-in form" },
  handle: ({ body, request }) => demoSignInResponse(body, request),
});
