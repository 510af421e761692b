import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ActionForm } from "@/components/ui/ActionForm";
import { currentUser } from "@/lib/auth/session";
import { declareStrataAction, deleteAccountAction, updateDisplayNameAction } from "@/lib/users/actions";
import { STRATA } from "@/lib/users/strata";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your profile" };

export default async function ProfilePage() {
  const user = await currentUser();
  if (!user) redirect("/signin?callbackUrl=/profile");
  return (
    <div className="max-w-xl space-y-8">
      <h1 className="text-2xl font-bold">Your profile</h1>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="text-muted">Pseudonym</dt>
        <dd data-testid="pseudonym">{user.pseudonym}</dd>
        <dt className="text-muted">Email (never shown)</dt>
        <dd>{user.email ?? "—"}</dd>
        <dt className="text-muted">Verification tier</dt>
        <dd>{user.verificationTier}</dd>
        <dt className="text-muted">Roles</dt>
        <dd>{user.roles.map((r) => r.toLowerCase()).join(", ")}</dd>
      </dl>

      <section aria-labelledby="display-name" className="space-y-2">
        <h2 id="display-name" className="text-lg font-semibold">
          Public display name
        </h2>
        <p className="text-sm text-muted">
          Shown with your comments and, beside your pseudonym, in the audit log. Leave empty to use the pseudonym. A
          name may not look like someone else&apos;s name or pseudonym, be shaped like a pseudonym, or claim a role
          (admin, moderator, system…).
        </p>
        <ActionForm action={updateDisplayNameAction} testId="name" className="space-y-2">
          <label htmlFor="name" className="block font-medium">
            Display name
          </label>
          <input
            id="name"
            name="name"
            defaultValue={user.name ?? ""}
            maxLength={60}
            className="w-full rounded border border-gray-300 p-2"
          />
          <button type="submit" className="rounded bg-accent px-4 py-2 text-white">
            Save name
          </button>
        </ActionForm>
      </section>

      <section aria-labelledby="strata" className="space-y-2">
        <h2 id="strata" className="text-lg font-semibold">
          Optional: who you are, coarsely
        </h2>
        <p className="text-sm text-muted">
          Representative voting policies weight votes so that the voters as a whole match target shares of these groups.
          Declaring is optional, can be withdrawn at any time, and is public in the audit log under your pseudonym.
        </p>
        <ActionForm action={declareStrataAction} testId="strata" className="space-y-2">
          {Object.entries(STRATA).map(([dimension, { label, codes }]) => (
            <div key={dimension}>
              <label htmlFor={`strata-${dimension}`} className="block font-medium">
                {label}
              </label>
              <select
                id={`strata-${dimension}`}
                name={dimension}
                defaultValue={user.strata?.[dimension] ?? ""}
                className="rounded border border-gray-300 p-2"
              >
                <option value="">Prefer not to say</option>
                {Object.entries(codes).map(([code, caption]) => (
                  <option key={code} value={code}>
                    {caption}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <button type="submit" className="rounded bg-accent px-4 py-2 text-white">
            Save declaration
          </button>
        </ActionForm>
      </section>

      <section aria-labelledby="delete" className="space-y-2 rounded-lg border border-red-200 bg-red-50 p-4">
        <h2 id="delete" className="text-lg font-semibold">
          Delete your account
        </h2>
        <p className="text-sm">
          Your email, name and sign-in links are erased. Your votes and comments stay in the public record under your
          pseudonym, because the labels they decided must remain verifiable.
        </p>
        <ActionForm action={deleteAccountAction} testId="delete" className="space-y-2">
          <label htmlFor="confirm" className="block font-medium">
            Type DELETE to confirm
          </label>
          <input id="confirm" name="confirm" autoComplete="off" className="w-full rounded border border-gray-300 p-2" />
          <button type="submit" className="rounded bg-red-700 px-4 py-2 text-white">
            Delete my account
          </button>
        </ActionForm>
      </section>
    </div>
  );
}
