import { z } from "zod";
import { ROLES } from "@/lib/domain/schema";

export type RoleName = (typeof ROLES)[number];

export const newUserSchema = z.strictObject({
  email: z.email().max(320).nullable(),
  name: z.string().trim().min(1).max(80).nullable(),
  isDemo: z.boolean().default(false),
  verificationTier: z.int().min(0).max(10).default(0),
});
export type NewUser = z.input<typeof newUserSchema>;

export const displayNameSchema = z
  .string()
  .trim()
  .max(60, "Keep the name under 60 characters.")
  // Control characters and invisible formatting would make names impersonate others.
  .refine((v) => !/[\p{Cc}\p{Cf}]/u.test(v), "The name contains invisible or control characters.")
  .transform((v) => (v === "" ? null : v));

export const roleChangeSchema = z.object({
  userId: z.uuid("Unknown user."),
  role: z.enum(["MODERATOR", "RESEARCHER", "ADMIN"], "Choose a role."),
  grant: z.enum(["grant", "revoke"]).transform((v) => v === "grant"),
});

export const deleteConfirmationSchema = z.literal("DELETE", "Type DELETE to confirm.");

export const tierChangeSchema = z.object({
  userId: z.uuid("Unknown user."),
  tier: z.coerce.number("Choose a tier.").int().min(0, "Tiers run from 0 to 5.").max(5, "Tiers run from 0 to 5."),
});
