// Development secrets, generated on first start and kept in the data directory (never in
// git). Production deployments pass NEXTAUTH_SECRET and DATABASE_URL instead.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const secretsSchema = z.object({
  postgresPassword: z.string().min(16),
  nextauthSecret: z.string().min(32),
});

export type Secrets = z.infer<typeof secretsSchema>;

const fresh = (): Secrets => ({
  postgresPassword: randomBytes(18).toString("base64url"),
  nextauthSecret: randomBytes(32).toString("base64url"),
});

export function loadOrCreateSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) {
    const parsed = secretsSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (parsed.success) return parsed.data;
    throw new Error(`${file} is damaged; delete it together with ${path.join(dataDir, "pg")} to start afresh.`);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const secrets = fresh();
  writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  return secrets;
}
