"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { sessionCookie } from "@/lib/auth/cookies";
import { currentUser } from "@/lib/auth/session";
import { NOT_ALLOWED, SIGN_IN_REQUIRED, done, failed, invalid, type FormState } from "@/lib/forms/state";
import { changeRole, deleteAccount, setDisplayName } from "./mutations";
import { canManageRoles } from "./policy";
import { deleteConfirmationSchema, displayNameSchema, roleChangeSchema } from "./schema";

export async function updateDisplayNameAction(_previous: FormState, form: FormData): Promise<FormState> {
  const parsed = displayNameSchema.safeParse(form.get("name") ?? "");
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const user = await currentUser();
  if (!user) return SIGN_IN_REQUIRED;
  const result = await setDisplayName(user.id, parsed.data);
  if (!result.ok) return failed(result.message);
  revalidatePath("/", "layout");
  return done(parsed.data ? `You now appear as “${parsed.data}”.` : `You now appear as ${user.pseudonym}.`);
}

export async function deleteAccountAction(_previous: FormState, form: FormData): Promise<FormState> {
  const parsed = deleteConfirmationSchema.safeParse(form.get("confirm"));
  if (!parsed.success) return invalid(parsed.error, "Type DELETE to confirm.");
  const user = await currentUser();
  if (!user) return SIGN_IN_REQUIRED;
  const result = await deleteAccount(user.id);
  if (!result.ok) return failed(result.message);
  // The sessions are gone from the database; drop the cookie and every cached page too.
  (await cookies()).delete(sessionCookie().name);
  revalidatePath("/", "layout");
  redirect("/?account=deleted");
}

export async function changeRoleAction(_previous: FormState, form: FormData): Promise<FormState> {
  const parsed = roleChangeSchema.safeParse({ userId: form.get("userId"), role: form.get("role"), grant: form.get("grant") });
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const admin = await currentUser();
  if (!admin) return SIGN_IN_REQUIRED;
  if (!canManageRoles(admin)) return NOT_ALLOWED;
  const { userId, role, grant } = parsed.data;
  const result = await changeRole(userId, role, grant, admin.id);
  if (!result.ok) return failed(result.message);
  revalidatePath("/admin/roles");
  return done(`${grant ? "Granted" : "Revoked"} ${role.toLowerCase()}.`);
}
