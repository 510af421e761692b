// The demo accounts the seed creates, one per role. Their names are reserved: nobody else
// may take them, or look like them (lib/users/names/rules.ts).
import type { RoleName } from "@/lib/users/schema";

export const DEMO_ACCOUNTS: { email: string; name: string; role: RoleName; tier: number }[] = [
  { email: "citizen@demo.plenary.test", name: "Demo Citizen", role: "CITIZEN", tier: 0 },
  { email: "moderator@demo.plenary.test", name: "Demo Moderator", role: "MODERATOR", tier: 2 },
  { email: "moderator2@demo.plenary.test", name: "Demo Moderator Two", role: "MODERATOR", tier: 2 },
  { email: "researcher@demo.plenary.test", name: "Demo Researcher", role: "RESEARCHER", tier: 1 },
  { email: "admin@demo.plenary.test", name: "Demo Admin", role: "ADMIN", tier: 2 },
];
