"use client";

import { signIn } from "next-auth/react";

export function GitHubSignInButton({ callbackUrl }: { callbackUrl: string }) {
  return (
    <button
      type="button"
      onClick={() => signIn("github", { callbackUrl })}
      className="rounded bg-gray-900 px-4 py-2 font-medium text-white"
    >
      Sign in with GitHub
    </button>
  );
}
