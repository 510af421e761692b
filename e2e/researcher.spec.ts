import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { parquetReadObjects } from "hyparquet";
import { expectNoSeriousA11yViolations } from "./axe";
import { decidedBatch } from "./factories";

type Manifest = { asOfSeq: number; files: { name: string; path: string }[] };

function verify(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/verify.ts", ...args], { encoding: "utf8" });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** Downloads every file a manifest lists into a new directory, as a researcher would. */
async function downloadRelease(
  request: APIRequestContext,
  batch: string,
): Promise<{ dir: string; manifest: Manifest }> {
  const response = await request.get(`/api/exports/manifest?batch=${batch}`);
  expect(response.status()).toBe(200);
  const manifest = (await response.json()) as Manifest;
  const dir = mkdtempSync(path.join(tmpdir(), "plenary-e2e-release-"));
  for (const file of manifest.files) {
    const download = await request.get(file.path);
    expect(download.status(), file.name).toBe(200);
    writeFileSync(path.join(dir, file.name), await download.body());
  }
  writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  return { dir, manifest };
}

test("a researcher downloads a release, verifies it offline, catches a changed byte, and reads the Parquet file", async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const batch = decidedBatch();
  await page.goto("/data");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  const { dir, manifest } = await downloadRelease(request, batch.slug);
  const ok = verify(dir);
  expect(ok.code, ok.out + ok.err).toBe(0);
  expect(ok.out).toMatch(
    /^VERIFIED: .*trusted the key shipped in the release.*; \d+ events, cut at the signed checkpoint of size \d+, \d+ signed checkpoints, [1-9]\d* decisions recomputed, every file rebuilt from the log\.$/m,
  );

  // The same release, checked straight from the site's manifest URL.
  const remote = verify(`${baseURL}/api/exports/manifest?batch=${batch.slug}`);
  expect(remote.code, remote.out + remote.err).toBe(0);

  // One changed byte in the trail: the verifier fails and names the event.
  const tampered = `${dir}-tampered`;
  cpSync(dir, tampered, { recursive: true });
  const lines = readFileSync(path.join(tampered, "audit.jsonl"), "utf8").split("\n");
  const index = lines.findIndex((l) => l.includes('"type":"vote.cast"'));
  const seq = (JSON.parse(lines[index]!) as { seq: number }).seq;
  lines[index] = lines[index]!.replace(
    /\\"option\\":\\"(A|B)\\"/,
    (_m, o: string) => `\\"option\\":\\"${o === "A" ? "B" : "A"}\\"`,
  );
  writeFileSync(path.join(tampered, "audit.jsonl"), lines.join("\n"));
  const bad = verify(tampered);
  expect(bad.code).toBe(1);
  expect(bad.out).toContain(`seq ${seq}: LEAF_HASH_MISMATCH`);

  // The Parquet file reads back with a Parquet reader to the same rows as the JSONL.
  const jsonl = readFileSync(path.join(dir, "dataset.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const parquet = readFileSync(path.join(dir, "dataset.parquet"));
  const rows = await parquetReadObjects({
    file: parquet.buffer.slice(parquet.byteOffset, parquet.byteOffset + parquet.byteLength),
  });
  expect(rows.map((r) => [r.datapoint_id, r.final_label])).toEqual(jsonl.map((r) => [r.datapoint_id, r.final_label]));
  expect(jsonl.filter((r) => r.final_label !== null).length).toBeGreaterThanOrEqual(2);
  expect(manifest.asOfSeq).toBeGreaterThan(0);
});
