"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { sessionCookie } from "@/lib/auth/cookies";
import { noteWrite } from "@/lib/database/read-your-writes";
import { formAction } from "@/lib/forms/action";
import { done, failed } from "@/lib/forms/state";
import { changeRole, declareStrata, deleteAccount, setVerificationTier } from "./mutations";
import { setDisplayName } from "./names/mutations";
import { displayNameForm } from "./names/rules";
import { canManageRoles } from "./policy";
import { deleteConfirmationSchema, displayNameSchema, roleChangeSchema, tierChangeSchema } from "./schema";
import { STRATA, strataSchema } from "./strata";

export const updateDisplayNameAction = formAction({
  name: "updateDisplayNameAction",
  schema: displayNameSchema,
  input: (form) => form.get("name") ?? "",
  run: async (requested, user) => {
    const result = await setDisplayName(user.id, requested);
    if (!result.ok) return failed(result.message);
    await noteWrite();
    revalidatePath("/", "layout");
    const name = requested === null ? null : displayNameForm(requested);
    return done(name ? `You now appear as “${name}” (${user.pseudonym}).` : `You now appear as ${user.pseudonym}.`);
  },
});

export const deleteAccountAction = formAction({
  name: "deleteAccountAction",
  schema: deleteConfirmationSchema,
  input: (form) => form.get("confirm"),
  invalidMessage: "Type DELETE to confirm.",
  run: async (_confirmed, user) => {
    const result = await deleteAccount(user.id);
    if (!result.ok) return failed(result.message);
    // The sessions are gone from the database; drop the cookie and every cached page too.
    (await cookies()).delete(sessionCookie().name);
    revalidatePath("/", "layout");
    redirect("/?account=deleted");
  },
});

export const changeRoleAction = formAction({
  name: "changeRoleAction",
  schema: roleChangeSchema,
  input: (form) => ({ userId: form.get("userId"), role: form.get("role"), grant: form.get("grant") }),
  allow: canManageRoles,
  run: async ({ userId, role, grant }, admin) => {
    const result = await changeRole(userId, role, grant, admin.id);
    if (!result.ok) return failed(result.message);
    await noteWrite();
    revalidatePath("/admin/roles");
    return done(`${grant ? "Granted" : "Revoked"} ${role.toLowerCase()}.`);
  },
});

export const setTierAction = formAction({
  name: "setTierAction",
  schema: tierChangeSchema,
  input: (form) => ({ userId: form.get("userId"), tier: form.get("tier") }),
  allow: canManageRoles,
  run: async ({ userId, tier }, admin) => {
    const result = await setVerificationTier(userId, tier, admin.id);
    if (!result.ok) return failed(result.message);
    await noteWrite();
    revalidatePath("/admin/roles");
    return done(`Verification tier set to ${tier}.`);
  },
});

export const declareStrataAction = formAction({
  name: "declareStrataAction",
  schema: strataSchema,
  // Only the dimensions the form chose; an unchosen one is no declaration.
  input: (form) =>
    Object.fromEntries(
      Object.keys(STRATA).flatMap((dimension) => {
        const value = form.get(dimension);
        return typeof value === "string" && value !== "" ? [[dimension, value]] : [];
      }),
    ),
  run: async (strata, user) => {
    const declared = Object.keys(strata).length ? (strata as Record<string, string>) : null;
    const result = await declareStrata(user.id, declared);
    if (!result.ok) return failed(result.message);
    await noteWrite();
    revalidatePath("/profile");
    return done(declared ? "Your declaration was saved." : "Your declaration was withdrawn.");
  },
});
