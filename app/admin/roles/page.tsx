import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ActionForm } from "@/components/ui/ActionForm";
import { currentUser } from "@/lib/auth/session";
import { changeRoleAction, setTierAction } from "@/lib/users/actions";
import { listUsersForAdmin } from "@/lib/users/data";
import { canManageRoles } from "@/lib/users/policy";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Roles" };

const ROLES = ["MODERATOR", "RESEARCHER", "ADMIN"] as const;

export default async function RolesPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const admin = await currentUser();
  if (!admin) redirect("/signin?callbackUrl=/admin/roles");
  if (!canManageRoles(admin)) {
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">Roles</h1>
        <p role="alert" className="text-red-800">
          Only admins can assign roles.
        </p>
      </div>
    );
  }
  const { q } = await searchParams;
  const query = typeof q === "string" ? q.slice(0, 100) : "";
  const users = await listUsersForAdmin(query);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Roles</h1>
      <p className="text-sm">
        <Link href="/admin/import" className="underline">
          Import datapoints
        </Link>{" "}
        from a JSONL file.
      </p>
      <form method="get" className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor="q" className="block text-sm font-medium">
            Find an account
          </label>
          <input
            id="q"
            name="q"
            defaultValue={query}
            placeholder="pseudonym, name or email"
            className="rounded border border-gray-300 p-2"
          />
        </div>
        <button type="submit" className="rounded border border-gray-300 bg-white px-3 py-2">
          Search
        </button>
      </form>
      <table className="w-full border-collapse bg-white text-sm">
        <caption className="sr-only">Accounts and their roles</caption>
        <thead>
          <tr className="border-b text-left">
            <th scope="col" className="p-2">
              Account
            </th>
            <th scope="col" className="p-2">
              Roles and tier
            </th>
            <th scope="col" className="p-2">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => {
            const held = u.roles.map((r) => r.role as string);
            return (
              <tr key={u.id} className="border-b align-top" data-testid={`user-${u.pseudonym}`}>
                <td className="p-2">
                  <div className="font-medium">{u.name ?? u.pseudonym}</div>
                  <div className="text-muted">
                    {u.pseudonym} · {u.email ?? "no email"}
                    {u.isDemo ? " · demo" : ""}
                  </div>
                </td>
                <td className="p-2">
                  <div>{["citizen", ...held.map((r) => r.toLowerCase())].join(", ")}</div>
                  <ActionForm
                    action={setTierAction}
                    testId={`tier-${u.pseudonym}`}
                    className="mt-2 flex items-center gap-1"
                  >
                    <input type="hidden" name="userId" value={u.id} />
                    <label htmlFor={`tier-${u.id}`} className="text-muted">
                      Tier
                    </label>
                    <select
                      id={`tier-${u.id}`}
                      name="tier"
                      defaultValue={u.verificationTier}
                      className="rounded border border-gray-300 p-1"
                    >
                      {[0, 1, 2, 3, 4, 5].map((t) => (
                        <option key={t} value={t}>
                          {t}
                        </option>
                      ))}
                    </select>
                    <button type="submit" className="rounded border border-gray-300 px-2 py-0.5">
                      Set
                    </button>
                  </ActionForm>
                </td>
                <td className="p-2">
                  <div className="flex flex-wrap gap-2">
                    {ROLES.map((role) => {
                      const has = held.includes(role);
                      return (
                        <ActionForm key={role} action={changeRoleAction} testId={`role-${u.pseudonym}-${role}`}>
                          <input type="hidden" name="userId" value={u.id} />
                          <input type="hidden" name="role" value={role} />
                          <input type="hidden" name="grant" value={has ? "revoke" : "grant"} />
                          <button type="submit" className="rounded border border-gray-300 px-2 py-1">
                            {has ? "Revoke" : "Grant"} {role.toLowerCase()}
                          </button>
                        </ActionForm>
                      );
                    })}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {users.length === 0 && <p className="text-muted">No account matches.</p>}
    </div>
  );
}
