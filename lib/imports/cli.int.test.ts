// `npm run import` end to end: the real script in a child process against this file's
// test database, judged by its exit code and the lines it prints.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { publishPolicyIn } from "@/lib/voting-policies/mutations";
import { auditHeadSeq, eventsAfter, makeUser } from "@/lib/testing/fixtures";

const dir = mkdtempSync(path.join(tmpdir(), "plenary-import-"));
let n = 0;
function file(...records: object[]): string {
  const at = path.join(dir, `file-${++n}.jsonl`);
  writeFileSync(at, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return at;
}

type Run = { code: number | null; stdout: string[]; stderr: string[] };
function run(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/import.ts", ...args], {
      env: { ...process.env, PLENARY_DB_POOL: "2", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: lines(stdout), stderr: lines(stderr) }));
  });
}
const lines = (text: string) => text.split("\n").filter((l) => l !== "");

const batch = (slug: string) => ({
  record: "batch",
  slug,
  title: `CLI ${slug}`,
  policy: "equal",
  opensAt: "2026-01-01T00:00:00Z",
  closesAt: "2036-01-01T00:00:00Z",
});
const datapoint = (slug: string, externalId: string, extra: object = {}) => ({
  record: "datapoint",
  batch: slug,
  externalId,
  kind: "rating",
  category: "helpfulness",
  title: `Item ${externalId}`,
  prompt: "How do I boil an egg?",
  responses: [{ id: "A", text: "Simmer it for nine minutes." }],
  labelOptions: { question: "How helpful?", min: 1, max: 5, minCaption: "Useless", maxCaption: "Ideal" },
  proposedLabel: "4",
  proposedLabelSource: "cli test",
  ...extra,
});

beforeAll(async () => {
  await db.$transaction((tx) =>
    publishPolicyIn(
      tx,
      {
        name: "equal",
        version: 1,
        kind: "equal",
        description: "test",
        quorum: { minVotes: 1, minWeight: 1 },
        margin: { minShare: 0 },
      },
      null,
    ),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run import", () => {
  it("documents its usage and exit codes", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout[0]).toBe("Usage: npm run import -- <file.jsonl> [--actor <admin email>]");
    expect(result.stdout).toContain("Exit codes:");
  });

  it("exits 1 naming the bad line, and imports nothing", async () => {
    const at = file(batch("cli-bad"), datapoint("cli-bad", "b-1"), datapoint("cli-bad", "b-2", { proposedLabel: "9" }));
    const before = await auditHeadSeq();
    const result = await run([at]);
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual([
      `${at}:3: proposedLabel: proposedLabel must lie on the rating scale`,
      "import: 1 line has a problem. Nothing was imported.",
    ]);
    expect(await db.batch.count({ where: { slug: "cli-bad" } })).toBe(0);
    expect(await auditHeadSeq()).toBe(before);
  });

  it("exits 0 with the summary, audited as the --actor admin, and again 0 with nothing new", async () => {
    const admin = await makeUser("ADMIN");
    const { email } = await db.user.findUniqueOrThrow({ where: { id: admin.id }, select: { email: true } });
    const at = file(batch("cli-good"), datapoint("cli-good", "g-1"), datapoint("cli-good", "g-2"));
    const before = await auditHeadSeq();

    const result = await run([at, "--actor", email!]);
    expect(result.code).toBe(0);
    expect(result.stdout).toEqual([
      "import: Imported 1 batch and 2 datapoints into cli-good.",
      expect.stringMatching(/^import: file SHA-256 [0-9a-f]{64}$/),
    ]);
    // Not a terminal: plain progress lines, not a redrawn bar.
    expect(result.stderr).toEqual(["import: 0/3 records (0%)", "import: 3/3 records (100%)"]);
    const events = await eventsAfter(before);
    expect(events.map((e) => e.type)).toEqual([
      "batch.created",
      "datapoint.published",
      "datapoint.published",
      "import.completed",
    ]);
    expect(events.at(-1)!.body).toMatchObject({
      actorId: admin.id,
      batches: ["cli-good"],
      datapointsCreated: 2,
      unchanged: 0,
    });
    expect(result.stdout[1]).toBe(`import: file SHA-256 ${events.at(-1)!.body.fileHash}`);

    const again = await run([at]);
    expect(again.code).toBe(0);
    expect(again.stdout[0]).toBe("import: Nothing new: 2 datapoints were already imported with identical content.");
    expect(await auditHeadSeq()).toBe(before + 4n);
  });

  it("refuses an actor who is not an admin, or unknown, with exit 2", async () => {
    const citizen = await makeUser("CITIZEN");
    const { email } = await db.user.findUniqueOrThrow({ where: { id: citizen.id }, select: { email: true } });
    const at = file(batch("cli-actor"), datapoint("cli-actor", "a-1"));
    const notAdmin = await run([at, "--actor", email!]);
    expect(notAdmin.code).toBe(2);
    expect(notAdmin.stderr).toEqual([`import: ${email} is not an admin; only admins may import.`]);
    const unknown = await run([at, "--actor", "nobody@example.test"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toEqual(["import: No account has the email nobody@example.test."]);
    expect(await db.batch.count({ where: { slug: "cli-actor" } })).toBe(0);
  });

  it("exits 2 in one sentence without a database, an unreachable one, a file or arguments", async () => {
    const at = file(batch("cli-nodb"));
    const unset = await run([at], { DATABASE_URL: undefined });
    expect(unset).toMatchObject({ code: 2, stderr: [expect.stringMatching(/^import: DATABASE_URL is not set; /)] });
    const unreachable = await run([at], { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/plenary" });
    expect(unreachable).toMatchObject({
      code: 2,
      stderr: ["import: Cannot reach PostgreSQL at 127.0.0.1:1: connection refused (is the server running?)."],
    });
    const missing = await run([path.join(dir, "missing.jsonl")]);
    expect(missing).toMatchObject({
      code: 2,
      stderr: [`import: Cannot read ${path.join(dir, "missing.jsonl")}: no such file.`],
    });
    const noFile = await run([]);
    expect(noFile).toMatchObject({
      code: 2,
      stderr: ["import: Give the JSONL file to import. See `npm run import -- --help`."],
    });
  });
});
