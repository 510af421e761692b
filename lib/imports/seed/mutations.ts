// Demo content for a fresh site: the shipped policies, one demo account per role, and the
// batches under prisma/seed/batches — imported through the same service as admin imports,
// so every datapoint has its `datapoint.published` event. Running it again adds nothing.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseImportJsonl } from "@/lib/imports/jsonl";
import { importRecords } from "@/lib/imports/mutations";
import { db } from "@/lib/db";
import { publishPolicyIn } from "@/lib/voting-policies/mutations";
import { policyDocumentSchema } from "@/lib/voting-policies/schema";
import { createUserIn, grantRoleIn } from "@/lib/users/mutations";
import { DEMO_ACCOUNTS } from "./demo-accounts";

const SEED_DIR = path.resolve("prisma/seed");

export type SeedReport = { policies: number; users: number; batches: number; datapoints: number };

export async function seedDemo(): Promise<SeedReport> {
  const report: SeedReport = { policies: 0, users: 0, batches: 0, datapoints: 0 };
  await db.$transaction(async (tx) => {
    for (const file of jsonFiles(path.join(SEED_DIR, "policies"), ".json")) {
      const document = policyDocumentSchema.parse(JSON.parse(readFileSync(file, "utf8")));
      const result = await publishPolicyIn(tx, document, null);
      if (!result.ok) throw new Error(`${path.basename(file)}: ${result.message}`);
      if (result.created) report.policies++;
    }
    for (const account of DEMO_ACCOUNTS) {
      const existing = await tx.user.findUnique({ where: { email: account.email }, select: { id: true } });
      if (existing) continue;
      const user = await createUserIn(
        tx,
        { email: account.email, name: account.name, isDemo: true, verificationTier: account.tier },
        null,
      );
      await grantRoleIn(tx, user.id, account.role, null);
      report.users++;
    }
  });
  for (const file of jsonFiles(path.join(SEED_DIR, "batches"), ".jsonl")) {
    const parsed = parseImportJsonl(readFileSync(file, "utf8"));
    if (!parsed.ok)
      throw new Error(`${path.basename(file)} line ${parsed.errors[0]!.line}: ${parsed.errors[0]!.message}`);
    const outcome = await importRecords(parsed.value, null);
    if (!outcome.ok)
      throw new Error(`${path.basename(file)} line ${outcome.errors[0]!.line}: ${outcome.errors[0]!.message}`);
    report.batches += outcome.batchesCreated;
    report.datapoints += outcome.datapointsCreated;
  }
  return report;
}

function jsonFiles(dir: string, extension: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(extension))
    .sort()
    .map((name) => path.join(dir, name));
}
