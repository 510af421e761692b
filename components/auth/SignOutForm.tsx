"use client";

// The sign-out form (see SignOutButton). With a token from the server it is an ordinary form
// that works before and without JavaScript; without one it first fetches a token from
// next-auth, which sets the matching cookie, then sends the form.
export function SignOutForm({ csrfToken }: { csrfToken: string | null }) {
  async function withFreshToken(event: React.FormEvent<HTMLFormElement>) {
    const form = event.currentTarget;
    const input = form.elements.namedItem("csrfToken") as HTMLInputElement;
    if (input.value) return;
    event.preventDefault();
    // Without a token (offline, say) next-auth answers with its own sign-out confirmation page.
    input.value = await fetch("/api/auth/csrf", { cache: "no-store" })
      .then((response) => response.json() as Promise<{ csrfToken?: string }>)
      .then((body) => body.csrfToken ?? "")
      .catch(() => "");
    form.submit();
  }

  return (
    <form method="post" action="/api/auth/signout" onSubmit={csrfToken ? undefined : withFreshToken}>
      <input type="hidden" name="csrfToken" defaultValue={csrfToken ?? ""} />
      <input type="hidden" name="callbackUrl" defaultValue="/" />
      <button type="submit" className="text-sm text-muted underline-offset-2 hover:text-ink hover:underline">
        Sign out
      </button>
    </form>
  );
}
