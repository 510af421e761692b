import Link from "next/link";
import { currentUser } from "@/lib/auth/session";
import { canManageRoles, canModerate } from "@/lib/users/policy";
import { SignOutButton } from "./SignOutButton";

export async function UserMenu() {
  const user = await currentUser();
  if (!user) {
    return (
      <Link href="/signin" className="text-sm font-medium text-accent underline-offset-2 hover:underline">
        Sign in
      </Link>
    );
  }
  return (
    <div className="flex items-center gap-4 text-sm">
      {canModerate(user) && (
        <Link href="/moderation" className="text-muted hover:text-ink">
          Moderation
        </Link>
      )}
      {canManageRoles(user) && (
        <Link href="/admin/roles" className="text-muted hover:text-ink">
          Roles
        </Link>
      )}
      <Link href="/profile" className="font-medium" data-testid="signed-in-as">
        {user.name ?? user.pseudonym}
        {user.isDemo && <span className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-900">demo</span>}
      </Link>
      <SignOutButton />
    </div>
  );
}
