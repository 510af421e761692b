// Who may do what: pure checks against a user read fresh from the database. They fail
// closed: no user, no permission.
import type { RoleName } from "./schema";

type Actor = { roles: RoleName[] } | null;

export const hasRole = (user: Actor, role: RoleName): boolean => !!user && user.roles.includes(role);
export const canParticipate = (user: Actor): boolean => !!user;
export const canManageRoles = (user: Actor): boolean => hasRole(user, "ADMIN");
export const canModerate = (user: Actor): boolean => hasRole(user, "MODERATOR");
export const canChoosePolicies = (user: Actor): boolean => hasRole(user, "ADMIN");
