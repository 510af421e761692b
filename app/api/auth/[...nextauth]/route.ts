import NextAuth from "next-auth";
import { z } from "zod";
import { nextAuthRefusal } from "@/lib/auth/guard";
import { authOptions } from "@/lib/auth/options";
import { problem } from "@/lib/http/problem";
import { route } from "@/lib/http/route";

const nextAuth = NextAuth(authOptions);

/** next-auth's handler, behind a check for input it would answer with a 500 (lib/auth/guard.ts). */
const handler = route({
  params: z.object({ nextauth: z.array(z.string()) }),
  handle: async ({ request, context }) => {
    const refusal = await nextAuthRefusal(request);
    return refusal ? problem(400, refusal) : nextAuth(request, context);
  },
});

export { handler as GET, handler as POST };
