// `npm run test:reliability`: the reliability suite. Each file starts its own PostgreSQL and
// production server, so files run one after another (two cores, and load tests must not
// measure each other).
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "..");

export default defineConfig({
  root,
  resolve: { alias: { "@": root } },
  test: {
    include: ["reliability/*.test.ts"],
    environment: "node",
    globalSetup: ["reliability/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
