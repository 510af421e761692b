// Large server-action bodies are refused before they are read unless an admin sends them:
// six anonymous 20 MB calls of the import action (the one action that takes large uploads)
// come back 4xx, and the server's memory hardly moves (it grew by ~300 MB when Next parsed
// them before the action's own sign-in check).
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type App } from "./app";
import { startDatabase, type TestDatabase } from "./database";
import { makeVoters, services, type Services } from "./voters";

let database: TestDatabase;
let app: App;
let s: Services;

beforeAll(async () => {
  database = await startDatabase();
  app = await startApp(database);
  s = await services(database);
});

afterAll(async () => {
  await app?.dispose();
  await s?.db.$disconnect();
  await database?.dispose();
});

/** The resident memory of the start script's process group's biggest member (Next's server), in MB. */
function serverRssMb(): number {
  const pids = [app.pid(), ...childrenOf(app.pid())];
  return Math.max(
    ...pids.map((pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024),
  );
}

function childrenOf(pid: number): number[] {
  const direct = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  return direct.flatMap((child) => [child, ...childrenOf(child)]);
}

function importActionId(): string {
  const manifest = JSON.parse(
    readFileSync(path.join(process.cwd(), ".next/server/server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, { exportedName?: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, e]) => e.exportedName === "importUploadAction");
  if (!entry) throw new Error("importUploadAction is not in the build's server-reference manifest");
  return entry[0];
}

async function post(body: FormData | string, headers: Record<string, string>): Promise<number> {
  try {
    const response = await fetch(`${app.url}/admin/import`, {
      method: "POST",
      body,
      headers: { accept: "text/x-component", ...headers },
    });
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
    small.append("0", '[null,"$K1"]');
    const warm = await post(small, { "next-action": id, origin: app.url });
    const before = serverRssMb();
    const statuses = await Promise.all(
      Array.from({ length: 6 }, () => {
        const form = new FormData();
        form.append("_1_file", new Blob([file], { type: "application/jsonl" }), "import.jsonl");
        form.append("0", '[null,"$K1"]');
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
    form.append("_1_file", new Blob([file]), "import.jsonl");
    form.append("0", '[null,"$K1"]');
    expect(await post(form, { "next-action": id, origin: app.url, cookie: "next-auth.session-token=made-up" })).toBe(
      413,
    );
    // The server still answers.
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  });

  it("refuses large bodies sent to the API unread too", async () => {
    // Next would buffer them (up to proxyClientMaxBodySize) for the proxy before any route ran.
    const json = JSON.stringify({ datapointId: "x", option: "A", rationale: "r".repeat(20 * 1024 * 1024) });
    await fetch(`${app.url}/api/health`);
    const before = serverRssMb();
    const statuses = await Promise.all(
      Array.from({ length: 6 }, async () => {
        try {
          const response = await fetch(`${app.url}/api/votes`, {
            method: "POST",
            body: json,
            headers: { "content-type": "application/json" },
          });
          expect(await response.json()).toMatchObject({
            status: 413,
            detail: expect.stringMatching(/larger than 1 MB/),
          });
          return response.status;
        } catch {
          return -1;
        }
      }),
    );
    const growth = serverRssMb() - before;
    console.log(`server RSS ${before.toFixed(0)} MB before the API bodies, grew by ${growth.toFixed(0)} MB`);
    expect(statuses).toEqual(Array(6).fill(413));
    expect(growth, `RSS grew by ${growth.toFixed(0)} MB`).toBeLessThan(100);
  });

  it("takes an administrator's 15 MB import upload whole, through the proxy", async () => {
    // Next's proxy buffers a body it sees up to proxyClientMaxBodySize (10 MB by default) and
    // cuts the rest off for the action too: the import would then read a truncated file.
    const [admin] = await makeVoters(s, 1, "ADMIN");
    const slug = "large-upload-2026";
    const batch = {
      record: "batch",
      slug,
      title: "A large upload",
      description: "Fifteen megabytes of datapoints.",
      policy: "equal",
      opensAt: "2026-01-01T00:00:00Z",
      closesAt: "2099-01-01T00:00:00Z",
    };
    const lines = [JSON.stringify(batch)];
    const filler = "Explain this in detail, please. ".repeat(480);
    for (let i = 0; lines.join("\n").length < 15 * 1024 * 1024; i++) {
      lines.push(
        JSON.stringify({
          record: "datapoint",
          batch: slug,
          externalId: `large-${i}`,
          category: "helpfulness",
          kind: "pairwise",
          title: `Large upload item ${i}`,
          prompt: `${i}: ${filler}`,
          responses: [
            { id: "A", text: filler },
            { id: "B", text: filler.toUpperCase() },
          ],
          proposedLabel: "A",
          proposedLabelSource: "test",
        }),
      );
    }
    const file = `${lines.join("\n")}\n`;
    expect(file.length).toBeGreaterThan(15 * 1024 * 1024);
    const form = new FormData();
    // As React's client encodes it: the form's fields first, the arguments ("0") last.
    form.append("_1_file", new Blob([file], { type: "application/jsonl" }), "large.jsonl");
    form.append("0", '[null,"$K1"]');
    {
      const encoded = new Response(form);
      const bytes = Buffer.from(await encoded.arrayBuffer());
      const http = await import("node:http");
      const answer = await new Promise<string>((resolve) => {
        const req = http.request(
          `${app.url}/admin/import`,
          {
            method: "POST",
            headers: {
              "content-type": encoded.headers.get("content-type")!,
              "content-length": String(bytes.length),
              accept: "text/x-component",
              "next-action": importActionId(),
              cookie: admin!.cookie,
            },
          },
          (res) => {
            let t = "";
            res.on("data", (c) => (t += c));
            res.on("end", () => resolve(`${res.statusCode} ${t.slice(0, 500)}`));
          },
        );
        req.on("error", (e) => resolve(`error ${e}`));
        req.end(bytes);
      });
      console.log("DEBUG", answer);
    }
    const response = await fetch(`${app.url}/admin/import`, {
      method: "POST",
      body: form,
      headers: { accept: "text/x-component", "next-action": importActionId(), cookie: admin!.cookie },
    });
    const body = await response.text();
    expect(response.status, body.slice(0, 500)).toBe(200);
    expect(body, body.slice(0, 500)).toMatch(/^[0-9a-f]+:\{"status":"ok"/m);
    const { rows } = await database.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM datapoints d JOIN batches b ON b.id = d.batch_id WHERE b.slug = $1`,
      [slug],
    );
    expect(rows[0]!.n).toBe(lines.length - 1);
  });
});
