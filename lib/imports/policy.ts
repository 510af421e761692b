// Who may import datapoints: admins only. Pure and fail-closed, like lib/users/policy.ts.
import { hasRole } from "@/lib/users/policy";
import type { RoleName } from "@/lib/users/schema";

export const canImport = (user: { roles: RoleName[] } | null): boolean => hasRole(user, "ADMIN");
