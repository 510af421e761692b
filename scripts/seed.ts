// `npm run db:seed`: the demo content, against DATABASE_URL (idempotent).
import { ConfigError, databaseUrl } from "@/lib/env";

try {
  databaseUrl();
  const { seedDemo } = await import("@/lib/imports/seed/mutations");
  const report = await seedDemo();
  console.log(
    `seed: added ${report.policies} policies, ${report.users} users, ${report.batches} batches, ${report.datapoints} datapoints.`,
  );
  process.exit(0);
} catch (error) {
  console.error(error instanceof ConfigError ? `seed: ${error.message}` : error);
  process.exit(1);
}
