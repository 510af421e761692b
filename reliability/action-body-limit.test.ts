// Large server-action bodies are refused before they are read unless an admin sends them:
// six anonymous 20 MB calls of the import action (the one action that takes large uploads)
// come back 4xx, and the server's memory hardly moves (it grew by ~300 MB when Next parsed
// them before the action's own sign-in check).
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type App } from "./app";
import { startDatabase, type TestDatabase } from "./database";

let database: TestDatabase;
let app: App;

beforeAll(async () => {
  database = await startDatabase();
  app = await startApp(database);
});

afterAll(async () => {
  await app?.dispose();
  await database?.dispose();
});

/** The resident memory of the start script's process group's biggest member (Next's server), in MB. */
function serverRssMb(): number {
  const pids = [app.pid(), ...childrenOf(app.pid())];
  return Math.max(...pids.map((pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024));
}

function childrenOf(pid: number): number[] {
  const direct = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  return direct.flatMap((child) => [child, ...childrenOf(child)]);
}

function importActionId(): string {
  const manifest = JSON.parse(readFileSync(path.join(process.cwd(), ".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { exportedName?: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, e]) => e.exportedName === "importUploadAction");
  if (!entry) throw new Error("importUploadAction is not in the build's server-reference manifest");
  return entry[0];
}

async function post(body: FormData | string, headers: Record<string, string>): Promise<number> {
  try {
    const response = await fetch(`${app.url}/admin/import`, { method: "POST", body, headers: { accept: "text/x-component", ...headers } });
    await response.arrayBuffer();
    return response.status;
  } catch {
    // A reset instead of an answer is not a refusal the client can read.
    return -1;
  }
}

describe("server-action bodies", () => {
  it("refuses six anonymous 20 MB action bodies with 4xx before reading them, memory bounded", async () => {
    const id = importActionId();
    const line = `${JSON.stringify({ batch: "x", prompt: "p".repeat(900) })}\n`;
    const file = line.repeat(Math.floor((20 * 1024 * 1024) / line.length));
    // Warm the page's and the proxy's code so its loading is not counted as growth.
    await fetch(`${app.url}/admin/import`);
    const small = new FormData();
    small.append("0", '["$K1"]');
    const warm = await post(small, { "next-action": id, origin: app.url });
    const before = serverRssMb();
    const statuses = await Promise.all(
      Array.from({ length: 6 }, () => {
        const form = new FormData();
        form.append("1_file", new Blob([file], { type: "application/jsonl" }), "import.jsonl");
        form.append("0", '["$K1"]');
        return post(form, { "next-action": id, origin: app.url });
      }),
    );
    // The refused bodies still stream through the sockets' buffers while they are discarded,
    // which shows as some growth; parsed, six of them held several hundred MB.
    const growth = serverRssMb() - before;
    console.log(`server RSS ${before.toFixed(0)} MB before, grew by ${growth.toFixed(0)} MB`);
    // A small anonymous call still reaches the action, which answers it with its form state.
    expect(warm).toBe(200);
    expect(statuses, String(statuses)).toEqual(Array(6).fill(401));
    expect(growth, `RSS grew by ${growth.toFixed(0)} MB`).toBeLessThan(100);
    // A made-up session cookie is no sign-in for a large body either.
    const form = new FormData();
    form.append("1_file", new Blob([file]), "import.jsonl");
    form.append("0", '["$K1"]');
    expect(await post(form, { "next-action": id, origin: app.url, cookie: "next-auth.session-token=made-up" })).toBe(413);
    // The server still answers.
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  });
});
