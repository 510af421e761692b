import { z } from "zod";

export const ROLES = ["CITIZEN", "MODERATOR", "RESEARCHER", "ADMIN"] as const;
export const roleSchema = z.enum(ROLES);
export type RoleName = z.infer<typeof roleSchema>;

export const newUserSchema = z.strictObject({
  email: z.email().max(320).nullable(),
  name: z.string().trim().min(1).max(80).nullable(),
  isDemo: z.boolean().default(false),
  verificationTier: z.int().min(0).max(10).default(0),
});
export type NewUser = z.input<typeof newUserSchema>;
