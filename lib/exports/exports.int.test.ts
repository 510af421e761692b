import { randomUUID } from "node:crypto";
import { parquetReadObjects } from "hyparquet";
import { beforeAll, describe, expect, it } from "vitest";
import { fileAppeal, resolveAppeal } from "@/lib/decisions/appeals/mutations";
import { leafHash, sha256Hex, toHex } from "@/lib/audit/hash";
import { ChainVerifier } from "@/lib/audit/verify";
import { db } from "@/lib/db";
import { makeBatch, makeUser } from "@/lib/testing/fixtures";
import { castVote } from "@/lib/votes/mutations";
import { DATASET_COLUMNS } from "./columns";
import { decidedBatch, linesOf, textOf, url, signWithTestCheckpointKey } from "./fixtures";
import { csv, type FileName } from "./formats";
import type { TableFileName } from "./files";
import { flushAuditQueue } from "@/lib/audit/mutations";
import { exportRoutes } from "@/lib/testing/routes";

const { audit: auditExportResponse, table: tableExportResponse } = exportRoutes;

signWithTestCheckpointKey();

const get = (name: TableFileName, query = "") => tableExportResponse(name, url(`/api/exports/${name}?${query}`));
const rowsOf = async (name: TableFileName, query = "") => linesOf(await get(name, query));

let b1: Awaited<ReturnType<typeof decidedBatch>>;
let b2: Awaited<ReturnType<typeof decidedBatch>>;
let b3: Awaited<ReturnType<typeof decidedBatch>>;
let open: Awaited<ReturnType<typeof makeBatch>>;

beforeAll(async () => {
  b1 = await decidedBatch({
    pairwise: ["A", "A", "A", "A", "B"],
    rating: ["4", "4", "4", "4", "5"],
    classification: ["over_refusal", "over_refusal", "over_refusal", "fine", "fine"],
  });
  b2 = await decidedBatch({ pairwise: ["B", "B", "B", "A", "A"] });
  b3 = await decidedBatch({ pairwise: { override: "TIE", votes: ["A", "A", "A", "B", "B"] } });
  open = await makeBatch();
  const voter = await makeUser();
  await castVote({ datapointId: open.pairwise, option: "A", rationale: null, idempotencyKey: randomUUID() }, voter.id);
  await flushAuditQueue(); // the vote's event is sequenced in the background: settle the log
  // A display name is personal data: it must never reach an export.
  await db.user.update({ where: { id: b1.voters[0]!.id }, data: { name: "Alice Example" } });
}, 120_000);

describe("audit trail download", () => {
  it("reproduces the stored canonical bodies byte for byte, with seq and hashes", async () => {
    const response = await auditExportResponse(url("/api/exports/audit.jsonl"));
    expect(response.headers.get("content-type")).toBe("application/jsonl; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="audit.jsonl"');
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const lines = await linesOf(response);
    const stored = await db.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(lines.map((l) => l.seq)).toEqual(stored.map((e) => Number(e.seq)));
    const verifier = new ChainVerifier();
    lines.forEach((line, i) => {
      const event = stored[i]!;
      expect(line.body).toBe(event.body);
      expect([line.type, line.leafHash, line.chainHash]).toEqual([
        event.type,
        toHex(event.leafHash),
        toHex(event.chainHash),
      ]);
      expect(line.leafHash).toBe(toHex(leafHash(line.body as string)));
      verifier.push({
        seq: BigInt(line.seq as number),
        type: line.type as string,
        body: line.body as string,
        leafHash: event.leafHash,
        chainHash: event.chainHash,
      });
    });
    expect(verifier.result().ok).toBe(true);
  });

  it("resumes by seq range: two parts concatenate to the whole", async () => {
    const whole = await textOf(await auditExportResponse(url("/api/exports/audit.jsonl")));
    const head = whole.trimEnd().split("\n").length;
    const first = await auditExportResponse(url("/api/exports/audit.jsonl?toSeq=17"));
    expect([first.headers.get("x-from-seq"), first.headers.get("x-to-seq")]).toEqual(["1", "17"]);
    const rest = await auditExportResponse(url("/api/exports/audit.jsonl?fromSeq=18"));
    expect(rest.headers.get("x-to-seq")).toBe(String(head));
    expect((await textOf(first)) + (await textOf(rest))).toBe(whole);
    const middle = await linesOf(await auditExportResponse(url("/api/exports/audit.jsonl?fromSeq=5&toSeq=9")));
    expect(middle.map((l) => l.seq)).toEqual([5, 6, 7, 8, 9]);
  });

  it("refuses bad ranges with a problem, not a 500", async () => {
    const head = await db.auditHead.findUniqueOrThrow({ where: { id: 1 } });
    for (const [query, status, detail] of [
      [`fromSeq=${head.lastSeq + 1n}`, 404, /There is no event/],
      ["fromSeq=abc", 400, /fromSeq must be a whole number/],
      ["fromSeq=9&toSeq=3", 400, /fromSeq must not be larger/],
      ["from=1", 400, /Unknown parameter "from"/],
    ] as const) {
      const response = await auditExportResponse(url(`/api/exports/audit.jsonl?${query}`));
      expect([
        response.status,
        response.headers.get("content-type"),
        response.headers.get("access-control-allow-origin"),
      ]).toEqual([status, "application/problem+json", "*"]);
      expect((await response.json()).detail).toMatch(detail);
    }
  });
});

describe("dataset downloads", () => {
  it("hold final labels with their metadata; preference pairs map A and B, leave TIE out", async () => {
    const rows = await rowsOf("dataset.jsonl", `batch=${b1.slug}`);
    expect(rows.map((r) => [r.external_id, r.final_label, r.agreement, r.votes])).toEqual(
      expect.arrayContaining([
        ["pair", "A", 0.8, 5],
        ["rate", "4", 0.8, 5],
        ["class", "over_refusal", 0.6, 5],
      ]),
    );
    const pair = rows.find((r) => r.external_id === "pair")!;
    const decision = await db.decision.findFirstOrThrow({ where: { datapointId: b1.pairwise, status: "FINAL" } });
    expect(pair).toMatchObject({
      decision_id: decision.id,
      policy_hash: decision.policyHash,
      is_override: false,
      tally_label: "A",
      batch: b1.slug,
      kind: "PAIRWISE",
    });
    const finalized = await db.auditEvent.findFirstOrThrow({
      where: { type: "decision.finalized", datapointId: b1.pairwise },
    });
    expect(pair.finalized_seq).toBe(Number(finalized.seq));

    const pairs = await rowsOf("dataset.preference.jsonl");
    expect(pairs.map((p) => [(p.metadata as { batch: string }).batch, p.chosen, p.rejected])).toEqual(
      expect.arrayContaining([
        [b1.slug, "Simmer 9 minutes.", "Microwave it."],
        [b2.slug, "Microwave it.", "Simmer 9 minutes."],
      ]),
    );
    expect(pairs).toHaveLength(2);
    expect(pairs[0]).toEqual({
      prompt: "How do I boil an egg?",
      chosen: expect.any(String),
      rejected: expect.any(String),
      metadata: expect.any(Object),
    });
    const tie = await rowsOf("dataset.jsonl", `batch=${b3.slug}`);
    expect(tie).toEqual([expect.objectContaining({ final_label: "TIE", tally_label: "A", is_override: true })]);
  });

  it("writes Parquet that reads back equal to the JSONL rows, and CSV of the same rows", async () => {
    const rows = await rowsOf("dataset.jsonl", "status=any");
    expect(rows.length).toBe(12);
    const parquet = await get("dataset.parquet", "status=any");
    expect(parquet.headers.get("content-type")).toBe("application/vnd.apache.parquet");
    const read = await parquetReadObjects({ file: await parquet.arrayBuffer() });
    const normalized = read.map((r) => ({
      ...r,
      decided_at: r.decided_at ? (r.decided_at as Date).toISOString() : null,
      finalized_seq: r.finalized_seq === null ? null : Number(r.finalized_seq),
    }));
    expect(normalized).toEqual(rows);

    const text = await textOf(await get("dataset.csv", "status=any"));
    async function* once() {
      yield rows;
    }
    const expected = csv(once(), DATASET_COLUMNS, (row) => row);
    const chunks: Uint8Array[] = [];
    for await (const chunk of expected.chunks) chunks.push(chunk);
    expect(text).toBe(Buffer.concat(chunks).toString("utf8"));
    expect(text.split("\r\n")[0]).toBe(DATASET_COLUMNS.map((c) => c.name).join(","));
  });

  it("never contain an email or a display name", async () => {
    const names: FileName[] = [
      "dataset.jsonl",
      "dataset.preference.jsonl",
      "dataset.csv",
      "decisions.jsonl",
      "votes.jsonl",
    ];
    const users = await db.user.findMany({ select: { email: true } });
    for (const name of names) {
      const text = await textOf(await get(name as TableFileName, "status=any"));
      expect(text.length, name).toBeGreaterThan(0);
      for (const { email } of users) expect(text.includes(email!), `${name} holds ${email}`).toBe(false);
      expect(text, name).not.toMatch(/@example\.test|Alice Example|"email"/);
    }
    const audit = await textOf(await auditExportResponse(url("/api/exports/audit.jsonl")));
    expect(audit).not.toMatch(/@example\.test|Alice Example/);
  });
});

describe("votes and decisions", () => {
  it("give one row per rater and datapoint with the pseudonymous rater id, and rationales by hash", async () => {
    const votes = await rowsOf("votes.jsonl", `batch=${b1.slug}`);
    expect(votes).toHaveLength(15);
    const first = b1.voters[0]!;
    const user = await db.user.findUniqueOrThrow({ where: { id: first.id } });
    const mine = votes.filter((v) => v.rater_id === first.id);
    expect(mine.map((v) => v.rater_pseudonym)).toEqual([user.pseudonym, user.pseudonym, user.pseudonym]);
    expect(mine.find((v) => v.external_id === "pair")).toMatchObject({
      option: "A",
      rationale_sha256: sha256Hex("Because A."),
      kind: "PAIRWISE",
    });
    const event = await db.auditEvent.findFirstOrThrow({ where: { seq: BigInt(mine[0]!.audit_seq as number) } });
    expect(JSON.parse(event.body)).toMatchObject({ voteId: mine[0]!.vote_id, actorId: first.id });
  });

  it("give decision records with the exact tally text and their events' seqs", async () => {
    const decisions = await rowsOf("decisions.jsonl", `batch=${b3.slug}&decisionStatus=final`);
    expect(decisions).toHaveLength(1);
    const [record] = decisions;
    expect(record).toMatchObject({
      label: "TIE",
      status: "FINAL",
      is_override: true,
      override_reason: "GUIDELINE_MISAPPLIED",
      confirmed_by_id: b3.mod2.id,
    });
    const stored = await db.decision.findUniqueOrThrow({ where: { id: record!.decision_id as string } });
    expect(record!.tally).toBe(stored.tally);
    const finalized = await db.auditEvent.findUniqueOrThrow({
      where: { seq: BigInt(record!.finalized_seq as number) },
    });
    expect(JSON.parse(finalized.body)).toMatchObject({
      type: "decision.finalized",
      decisionId: stored.id,
      tallyHash: sha256Hex(stored.tally),
    });
    expect(record!.recorded_seq).toBeLessThan(record!.finalized_seq as number);
  });
});

describe("filters", () => {
  const ids = async (query: string) =>
    (await rowsOf("dataset.jsonl", query)).map((r) => `${(r.batch as string).slice(0, 14)}/${r.external_id}`).sort();
  const key = (batch: { slug: string }, externalId: string) => `${batch.slug.slice(0, 14)}/${externalId}`;

  it("choose by batch, status, agreement, margin and decision date", async () => {
    expect(await ids(`batch=${b1.slug}`)).toEqual([key(b1, "class"), key(b1, "pair"), key(b1, "rate")].sort());
    expect(await ids("minAgreement=0.8")).toEqual([key(b1, "pair"), key(b1, "rate")].sort());
    expect(await ids("minMargin=0.21")).toEqual([key(b1, "pair"), key(b1, "rate")].sort());
    expect(await ids("minMargin=0.2")).toHaveLength(5);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(await ids(`from=${today}&to=${today}`)).toHaveLength(5);
    expect(await ids(`to=${yesterday}`)).toEqual([]);
    expect(await ids(`from=${tomorrow}`)).toEqual([]);
    expect(await ids(`status=OPEN&batch=${open.slug}`)).toHaveLength(3);
    expect(await ids(`status=any&batch=${open.slug}&minAgreement=0`)).toEqual([]);
    expect(await rowsOf("votes.jsonl", `status=OPEN`)).toHaveLength(1);
    expect(await rowsOf("decisions.jsonl", "minAgreement=0.8")).toHaveLength(2);
  });

  it("refuse an unknown batch, a cut past the log and a foreign cursor", async () => {
    const unknown = await get("dataset.csv", "batch=no-such-batch");
    expect([unknown.status, (await unknown.json()).detail]).toEqual([404, 'No batch has the slug "no-such-batch".']);
    expect((await get("dataset.jsonl", "asOfSeq=999999")).status).toBe(400);
    const votes = await get("votes.jsonl", "status=any&limit=1");
    const cursor = votes.headers.get("x-next-cursor")!;
    const foreign = await get("dataset.jsonl", `cursor=${cursor}`);
    expect([foreign.status, (await foreign.json()).detail]).toEqual([
      400,
      expect.stringMatching(/cursor was not given out by this download/),
    ]);
    expect((await get("dataset.jsonl", "decisionStatus=FINAL")).status).toBe(400);
  });
});

describe("resuming by cursor", () => {
  it("walks every row exactly once in limited parts, for each table", async () => {
    for (const [name, limit] of [
      ["dataset.jsonl", 5],
      ["votes.jsonl", 7],
      ["decisions.jsonl", 2],
      ["dataset.preference.jsonl", 1],
    ] as const) {
      const whole = await rowsOf(name, "status=any");
      const parts: Record<string, unknown>[] = [];
      let query = `status=any&limit=${limit}`;
      for (let round = 0; round < 100; round++) {
        const response = await get(name, query);
        const lines = await linesOf(response);
        expect(lines.length, name).toBeLessThanOrEqual(limit);
        parts.push(...lines);
        const next = response.headers.get("x-next-cursor");
        if (!next) break;
        expect(response.headers.get("link")).toBe(
          `</api/exports/${name}?status=any&limit=${limit}&cursor=${next}>; rel="next"`,
        );
        query = `status=any&limit=${limit}&cursor=${next}`;
      }
      expect(parts, name).toEqual(whole);
    }
  });
});

describe("the cut", () => {
  it("keeps a download at asOfSeq identical after labels are reopened and votes change", async () => {
    const cut = (await db.auditHead.findUniqueOrThrow({ where: { id: 1 } })).lastSeq;
    const files: TableFileName[] = ["dataset.jsonl", "dataset.csv", "decisions.jsonl", "votes.jsonl"];
    const before = await Promise.all(
      files.map(async (name) => textOf(await get(name, `batch=${b1.slug}&asOfSeq=${cut}`))),
    );

    const appellant = await makeUser();
    const appeal = await fileAppeal(
      { datapointId: b1.pairwise, reason: "Response A recommends an unsafe practice for children." },
      appellant.id,
    );
    if (!appeal.ok) throw new Error(appeal.message);
    expect(
      await resolveAppeal(
        {
          appealId: appeal.appealId,
          verdict: "accept",
          rationale: "The safety concern is substantive; voters should weigh it.",
        },
        b1.mod2.id,
      ),
    ).toMatchObject({ ok: true });
    const changed = await castVote(
      { datapointId: b1.pairwise, option: "B", rationale: null, idempotencyKey: randomUUID() },
      b1.voters[0]!.id,
    );
    expect(changed).toMatchObject({ ok: true, changed: true });

    const after = await Promise.all(
      files.map(async (name) => textOf(await get(name, `batch=${b1.slug}&asOfSeq=${cut}`))),
    );
    expect(after).toEqual(before);
    expect((await rowsOf("dataset.jsonl", `batch=${b1.slug}`)).map((r) => r.external_id).sort()).toEqual([
      "class",
      "rate",
    ]);
    const decisions = await rowsOf("decisions.jsonl", `batch=${b1.slug}&status=any`);
    expect(decisions.find((d) => d.datapoint_id === b1.pairwise)).toMatchObject({
      status: "SUPERSEDED",
      reopened_seq: expect.any(Number),
    });
    const votes = await rowsOf("votes.jsonl", `batch=${b1.slug}&status=any`);
    expect(votes.find((v) => v.rater_id === b1.voters[0]!.id && v.datapoint_id === b1.pairwise)).toMatchObject({
      option: "B",
    });
  });
});
