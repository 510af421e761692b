// The start script's expected failures: one clear sentence on stderr, exit code 1.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/runtime/ports";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "plenary-start-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      // Only what the script needs, so settings of the test run itself do not leak in.
      env: {
        NODE_ENV: "production",
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PLENARY_DATA_DIR: dataDir,
        ...env,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

async function occupy(): Promise<{ port: number; close: () => void }> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

describe("npm start refuses clearly", () => {
  it("when PORT is taken", async () => {
    const busy = await occupy();
    const result = await start({ PORT: String(busy.port), DATABASE_URL: process.env.DATABASE_URL! });
    busy.close();
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`plenary: Port ${busy.port} is already in use; set PORT to a free port.\n`);
  });

  it("when DATABASE_URL cannot be reached", async () => {
    const port = await freePort();
    const result = await start({
      PORT: String(await freePort()),
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/plenary`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `plenary: Cannot reach PostgreSQL at 127.0.0.1:${port}: connection refused (is the server running?).\n`,
    );
  });

  it("when DATABASE_URL is not a URL", async () => {
    const garbage = await start({ DATABASE_URL: "not a url" });
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(/^plenary: Setting DATABASE_URL is invalid: .+\.\n$/);
    const wrongScheme = await start({ DATABASE_URL: "localhost:5432" });
    expect(wrongScheme.code).toBe(1);
    expect(wrongScheme.stderr).toBe("plenary: DATABASE_URL must start with postgresql://, not localhost://.\n");
  });

  it("when the embedded database's port is taken", async () => {
    const busy = await occupy();
    const result = await start({ PORT: String(await freePort()), PLENARY_PG_PORT: String(busy.port) });
    busy.close();
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `plenary: Port ${busy.port} for the embedded PostgreSQL is in use; set PLENARY_PG_PORT to a free port.\n`,
    );
  });
});
