// E2E against the production build, served by the real start script (`npm start`'s code
// path: embedded PostgreSQL, migrations, seed, build when stale) on its own ports and data.
import { defineConfig, devices } from "@playwright/test";
import { SMTP_PORT } from "./e2e/mail";
import { CHROMIUM_ARGS, findChromium } from "./lib/testing/chromium";

const port = Number(process.env.E2E_PORT ?? 3217);
const baseURL = `http://127.0.0.1:${port}`;
const executablePath = findChromium() ?? undefined;

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], launchOptions: { executablePath, args: CHROMIUM_ARGS } } },
    { name: "phone", use: { ...devices["Pixel 7"], launchOptions: { executablePath, args: CHROMIUM_ARGS } } },
  ],
  webServer: {
    command: "node --import tsx scripts/start.ts",
    url: `${baseURL}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    env: {
      PORT: String(port),
      PLENARY_DATA_DIR: process.env.E2E_DATA_DIR ?? ".data-test/e2e",
      PLENARY_PG_PORT: String(process.env.E2E_PG_PORT ?? 55_437),
      NEXTAUTH_URL: baseURL,
      // Magic links go to the run's own mail catcher (e2e/global-setup.ts).
      SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
      EMAIL_FROM: "Plenary <no-reply@plenary.test>",
      // A low API limit so e2e/api.spec.ts reaches it in a short burst; trusting X-Forwarded-For
      // lets that burst claim an address of its own, so other specs (127.0.0.1) keep their allowance.
      PLENARY_API_RATE_PER_MINUTE: "60",
      PLENARY_TRUST_PROXY: "1",
    },
  },
});
