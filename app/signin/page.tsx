import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { EmailSignInForm } from "@/components/auth/EmailSignInForm";
import { GitHubSignInButton } from "@/components/auth/GitHubSignInButton";
import { safeCallbackPath } from "@/lib/auth/cookies";
import { githubEnabled } from "@/lib/auth/options";
import { currentUser } from "@/lib/auth/session";
import { demoEnabled } from "@/lib/env";
import { listDemoAccounts } from "@/lib/users/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  Verification: "That sign-in link has expired or was already used. Ask for a new one.",
  EmailSignin: "The sign-in email could not be sent. Please try again.",
  AccessDenied: "This account cannot sign in.",
};

type Props = { searchParams: Promise<{ callbackUrl?: string; error?: string }> };

export default async function SignInPage({ searchParams }: Props) {
  const { callbackUrl: rawCallback, error } = await searchParams;
  const callbackUrl = safeCallbackPath(rawCallback);
  if (await currentUser()) redirect(callbackUrl);
  const demo = demoEnabled() ? await listDemoAccounts() : [];

  return (
    <div className="max-w-xl space-y-8">
      <h1 className="text-2xl font-bold">Sign in</h1>
      {error && (
        <p role="alert" data-testid="signin-error" className="rounded bg-red-50 p-2 text-red-800">
          {ERRORS[error] ?? "Sign-in failed. Please try again."}
        </p>
      )}
      <section aria-labelledby="by-email" className="space-y-2">
        <h2 id="by-email" className="text-lg font-semibold">
          With your email
        </h2>
        <p className="text-sm text-muted">
          We send you a link that signs you in. Your email is never shown: you appear under a pseudonym.
        </p>
        <EmailSignInForm callbackUrl={callbackUrl} />
      </section>
      {githubEnabled() && (
        <section aria-labelledby="by-github" className="space-y-2">
          <h2 id="by-github" className="text-lg font-semibold">
            With GitHub
          </h2>
          <GitHubSignInButton callbackUrl={callbackUrl} />
        </section>
      )}
      {demo.length > 0 && (
        <section
          aria-labelledby="demo"
          className="space-y-2 rounded-lg border-2 border-dashed border-amber-400 bg-amber-50 p-4"
        >
          <h2 id="demo" className="text-lg font-semibold">
            Demo accounts
          </h2>
          <p className="text-sm">
            This site runs in demo mode: sign in as a seeded account without email. Not for real use.
          </p>
          <ul className="space-y-2">
            {demo.map((account) => (
              <li key={account.email}>
                <form method="post" action="/api/auth/demo">
                  <input type="hidden" name="email" value={account.email ?? ""} />
                  <input type="hidden" name="callbackUrl" value={callbackUrl} />
                  <button type="submit" className="rounded border border-amber-600 bg-white px-3 py-1.5 text-sm">
                    Demo: sign in as {account.name} (
                    {["CITIZEN", ...account.roles.map((r) => r.role)].join(", ").toLowerCase()})
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
