"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { sessionCookie } from "@/lib/auth/cookies";
import { currentUser } from "@/lib/auth/session";
import { NOT_ALLOWED, SIGN_IN_REQUIRED, done, failed, invalid, UNREADABLE_FORM, type FormState } from "@/lib/forms/state";
import { changeRole, declareStrata, deleteAccount, setVerificationTier } from "./mutations";
import { setDisplayName } from "./names/mutations";
import { displayNameForm } from "./names/rules";
import { canManageRoles } from "./policy";
import { deleteConfirmationSchema, displayNameSchema, roleChangeSchema, tierChangeSchema } from "./schema";
import { STRATA, strataSchema } from "./strata";
import { noteWrite } from "@/lib/database/read-your-writes";

export async function updateDisplayNameAction(_previous: FormState, form: FormData): Promise<FormState> {
  if (!(form instanceof FormData)) return UNREADABLE_FORM;
  const parsed = displayNameSchema.safeParse(form.get("name") ?? "");
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const user = await currentUser();
  if (!user) return SIGN_IN_REQUIRED;
  const result = await setDisplayName(user.id, parsed.data);
  if (!result.ok) return failed(result.message);
  await noteWrite();
  revalidatePath("/", "layout");
  const name = parsed.data === null ? null : displayNameForm(parsed.data);
  return done(name ? `You now appear as “${name}” (${user.pseudonym}).` : `You now appear as ${user.pseudonym}.`);
}

export async function deleteAccountAction(_previous: FormState, form: FormData): Promise<FormState> {
  if (!(form instanceof FormData)) return UNREADABLE_FORM;
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
  if (!(form instanceof FormData)) return UNREADABLE_FORM;
  const parsed = roleChangeSchema.safeParse({ userId: form.get("userId"), role: form.get("role"), grant: form.get("grant") });
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const admin = await currentUser();
  if (!admin) return SIGN_IN_REQUIRED;
  if (!canManageRoles(admin)) return NOT_ALLOWED;
  const { userId, role, grant } = parsed.data;
  const result = await changeRole(userId, role, grant, admin.id);
  if (!result.ok) return failed(result.message);
  await noteWrite();
  revalidatePath("/admin/roles");
  return done(`${grant ? "Granted" : "Revoked"} ${role.toLowerCase()}.`);
}

export async function setTierAction(_previous: FormState, form: FormData): Promise<FormState> {
  if (!(form instanceof FormData)) return UNREADABLE_FORM;
  const parsed = tierChangeSchema.safeParse({ userId: form.get("userId"), tier: form.get("tier") });
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const admin = await currentUser();
  if (!admin) return SIGN_IN_REQUIRED;
  if (!canManageRoles(admin)) return NOT_ALLOWED;
  const result = await setVerificationTier(parsed.data.userId, parsed.data.tier, admin.id);
  if (!result.ok) return failed(result.message);
  await noteWrite();
  revalidatePath("/admin/roles");
  return done(`Verification tier set to ${parsed.data.tier}.`);
}

export async function declareStrataAction(_previous: FormState, form: FormData): Promise<FormState> {
  if (!(form instanceof FormData)) return UNREADABLE_FORM;
  const raw = Object.fromEntries(
    Object.keys(STRATA).flatMap((dimension) => {
      const value = form.get(dimension);
      return typeof value === "string" && value !== "" ? [[dimension, value]] : [];
    }),
  );
  const parsed = strataSchema.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const user = await currentUser();
  if (!user) return SIGN_IN_REQUIRED;
  const declared = Object.keys(parsed.data).length ? (parsed.data as Record<string, string>) : null;
  const result = await declareStrata(user.id, declared);
  if (!result.ok) return failed(result.message);
  await noteWrite();
  revalidatePath("/profile");
  return done(declared ? "Your declaration was saved." : "Your declaration was withdrawn.");
}
