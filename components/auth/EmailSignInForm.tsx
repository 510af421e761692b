"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";

export function EmailSignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const router = useRouter();

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) return setError("Enter a valid email address.");
    setError(null);
    setPending(true);
    // next-auth sends the link, then navigates to the "check your email" page.
    const result = await signIn("email", { email: email.trim(), callbackUrl, redirect: false });
    setPending(false);
    if (result?.error) setError("The sign-in email could not be sent. Please try again.");
    else router.push("/signin/check-email");
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-2">
      <label htmlFor="email" className="block font-medium">
        Email address
      </label>
      <input
        id="email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        className="w-full max-w-sm rounded border border-gray-300 p-2"
      />
      <div>
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-accent px-4 py-2 font-medium text-white disabled:opacity-60"
        >
          {pending ? "Sending…" : "Email me a sign-in link"}
        </button>
      </div>
      {error && (
        <p role="alert" data-testid="signin-error" className="text-red-800">
          {error}
        </p>
      )}
    </form>
  );
}
