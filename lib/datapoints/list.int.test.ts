// The public datapoint list against a real PostgreSQL: filters, full-text search through the
// trigger-maintained search_vector, every sort order, and keyset pages.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { publishPolicyIn } from "@/lib/voting-policies/mutations";
import {
  countDatapoints,
  findDatapoints,
  listBatchChoices,
  listDatapoints,
  type DatapointListItem,
  type DatapointPage,
} from "./data";
import { parseImportJsonl } from "@/lib/imports/jsonl";
import { parseListQuery, type ListQuery } from "./list-query";
import { importRecords } from "@/lib/imports/mutations";

const NOW = new Date("2026-11-27T12:00:00Z");
const batch = (slug: string, opensAt: string, closesAt: string) => ({
  record: "batch",
  slug,
  title: `Batch ${slug}`,
  policy: "equal",
  opensAt,
  closesAt,
});
const BATCHES = {
  soon: batch("closes-soon", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"),
  later: batch("closes-later", "2026-01-01T00:00:00Z", "2030-01-01T00:00:00Z"),
  past: batch("closed-past", "2025-01-01T00:00:00Z", "2025-06-01T00:00:00Z"),
  future: batch("opens-future", "2035-01-01T00:00:00Z", "2036-01-01T00:00:00Z"),
};

type Extra = { title?: string; prompt?: string; context?: string; text?: string; category?: string };
function datapoint(
  batchSlug: string,
  externalId: string,
  kind: "pairwise" | "rating" | "classification",
  extra: Extra = {},
) {
  const base = {
    record: "datapoint",
    batch: batchSlug,
    externalId,
    category: extra.category ?? "helpfulness",
    title: extra.title ?? `Filler item ${externalId}`,
    prompt: extra.prompt ?? "Please help with an ordinary question.",
    ...(extra.context ? { context: extra.context } : {}),
    proposedLabelSource: "integration test",
  };
  const text = extra.text ?? "An ordinary answer.";
  if (kind === "pairwise")
    return {
      ...base,
      kind,
      responses: [
        { id: "A", text },
        { id: "B", text: "Another answer." },
      ],
      proposedLabel: "A",
    };
  if (kind === "rating") {
    const labelOptions = { question: "How good?", min: 1, max: 5, minCaption: "Bad", maxCaption: "Good" };
    return { ...base, kind, responses: [{ id: "A", text }], labelOptions, proposedLabel: "3" };
  }
  const labelOptions = {
    question: "Which?",
    classes: [
      { id: "ok", caption: "Fine" },
      { id: "bad", caption: "Not fine" },
    ],
  };
  return { ...base, kind, responses: [{ id: "A", text }], labelOptions, proposedLabel: "ok" };
}

async function importAll(...records: object[]) {
  const parsed = parseImportJsonl(records.map((r) => JSON.stringify(r)).join("\n"));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const outcome = await importRecords(parsed.value, null, NOW);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
}

const KINDS = ["pairwise", "rating", "classification"] as const;
const CATEGORIES = ["helpfulness", "harmlessness", "honesty"] as const;
const idOf = async (externalId: string) => (await db.datapoint.findFirstOrThrow({ where: { externalId } })).id;

/** Every page of `query`, walked forward through "next" cursors, then back through "previous" ones. */
async function walk(query: ListQuery, take: number) {
  const follow = async (start: ListQuery, link: "nextCursor" | "prevCursor") => {
    const pages: DatapointPage[] = [];
    let current = start;
    for (;;) {
      const page = await findDatapoints(current, { take, now: NOW });
      pages.push(page);
      const cursor = page[link];
      if (!cursor) return pages;
      const next = parseListQuery({ ...flat(query), cursor });
      expect(next.problems).toEqual([]);
      current = next.query;
      expect(pages.length).toBeLessThan(100);
    }
  };
  const forward = await follow(query, "nextCursor");
  const last = forward.at(-1)!;
  // From the last page, "previous" links lead back to the first page (which offers none).
  const backward = last.prevCursor
    ? await follow(parseListQuery({ ...flat(query), cursor: last.prevCursor }).query, "prevCursor")
    : [];
  return { forward: forward.map((p) => p.items), backward: backward.map((p) => p.items) };
}
const flat = ({ after: _after, ...rest }: ListQuery) => rest as Record<string, string>;
const all = async (query: ListQuery) => (await findDatapoints(query, { take: 1000, now: NOW })).items;
const titles = (items: DatapointListItem[]) => items.map((i) => i.title);

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
  // Separate imports, so creation times differ between groups (and tie within one).
  await importAll(BATCHES.soon, BATCHES.later, BATCHES.past, BATCHES.future);
  for (let group = 0; group < 3; group++) {
    const records = [];
    for (let i = 0; i < 14; i++) {
      const n = group * 14 + i;
      const slug = [BATCHES.soon, BATCHES.later, BATCHES.past][n % 3]!.slug;
      records.push(datapoint(slug, `fill-${n}`, KINDS[n % 3]!, { category: CATEGORIES[Math.floor(n / 3) % 3] }));
    }
    await importAll(...records);
  }
  await importAll(
    datapoint("closes-later", "title-hit", "pairwise", { title: "Marmalade recipe for beginners" }),
    datapoint("closes-soon", "response-hit", "rating", {
      text: "Seville oranges make the best marmalade, and marmalade keeps.",
    }),
    datapoint("closes-soon", "context-hit", "classification", {
      context: "Earlier the user mentioned their pet quokka.",
    }),
    datapoint("closes-later", "prompt-hit", "pairwise", {
      prompt: "How do I repot a bonsai without harming its roots?",
    }),
    datapoint("opens-future", "draft-hit", "pairwise", { title: "Marmalade draft that must stay hidden" }),
  );
  // A finalized datapoint, so every public status is present.
  await db.datapoint.update({ where: { id: await idOf("fill-1") }, data: { status: "FINALIZED" } });

  // Comments: fill-5 has 3, fill-7 has 2 live (and 2 deleted), fill-9 has 1.
  const author = await db.user.create({ data: { pseudonym: "list-test-author" } });
  const comment = async (externalId: string, deleted = false) =>
    db.comment.create({
      data: {
        datapointId: await idOf(externalId),
        authorId: author.id,
        body: "A comment.",
        deletedAt: deleted ? NOW : null,
      },
    });
  for (const [externalId, live, deleted] of [
    ["fill-5", 3, 0],
    ["fill-7", 2, 2],
    ["fill-9", 1, 0],
  ] as const) {
    for (let i = 0; i < live; i++) await comment(externalId);
    for (let i = 0; i < deleted; i++) await comment(externalId, true);
  }
});

describe("the datapoint list", () => {
  it("lists every public datapoint and never a draft", async () => {
    const items = await all({ sort: "newest" });
    expect(items).toHaveLength(46);
    expect(await countDatapoints({})).toBe(46);
    expect(items.some((i) => i.batch.slug === "opens-future")).toBe(false);
    expect(await db.datapoint.count({ where: { status: "DRAFT" } })).toBe(1);
    expect(new Set(items.map((i) => i.status))).toEqual(new Set(["OPEN", "CLOSED", "FINALIZED"]));
    expect(await all({ batch: "opens-future", sort: "newest" })).toEqual([]);
    expect(await all({ q: "hidden", sort: "relevance" })).toEqual([]);
  });

  it("filters by batch, status, kind and category, alone and together", async () => {
    const rows = await db.datapoint.findMany({ where: { status: { not: "DRAFT" } }, include: { batch: true } });
    const cases: ListQuery[] = [
      { batch: "closes-soon", sort: "newest" },
      { status: "CLOSED", sort: "newest" },
      { status: "FINALIZED", sort: "newest" },
      { kind: "RATING", sort: "newest" },
      { category: "honesty", sort: "newest" },
      { batch: "closes-later", kind: "PAIRWISE", category: "helpfulness", status: "OPEN", sort: "newest" },
    ];
    for (const query of cases) {
      const expected = rows.filter(
        (r) =>
          (!query.batch || r.batch.slug === query.batch) &&
          (!query.status || r.status === query.status) &&
          (!query.kind || r.kind === query.kind) &&
          (!query.category || r.category === query.category),
      );
      const items = await all(query);
      expect(expected.length).toBeGreaterThan(0);
      expect(items.map((i) => i.id).sort()).toEqual(expected.map((r) => r.id).sort());
      expect(await countDatapoints(query)).toBe(expected.length);
    }
    expect(await all({ batch: "no-such-batch", sort: "newest" })).toEqual([]);
  });

  it("finds words in a response, the prompt and the context, with English stemming", async () => {
    expect(titles(await all({ q: "seville oranges", sort: "relevance" }))).toEqual(["Filler item response-hit"]);
    expect(titles(await all({ q: "repotting bonsais", sort: "relevance" }))).toEqual(["Filler item prompt-hit"]);
    expect(titles(await all({ q: "quokka", sort: "relevance" }))).toEqual(["Filler item context-hit"]);
    expect(titles(await all({ q: '"seville oranges" -bonsai', sort: "relevance" }))).toEqual([
      "Filler item response-hit",
    ]);
    expect(await all({ q: "xylophone", sort: "relevance" })).toEqual([]);
    // Stop words alone, and tsquery operators typed as text, find nothing rather than fail.
    expect(await all({ q: "the and of", sort: "relevance" })).toEqual([]);
    expect(await all({ q: `a & b | !(c) <-> 'd' :* "`, sort: "relevance" })).toEqual([]);
    expect(await countDatapoints({ q: "marmalade" })).toBe(2);
  });

  it("ranks a title match above a match in a response, even one repeated", async () => {
    expect(titles(await all({ q: "marmalade", sort: "relevance" }))).toEqual([
      "Marmalade recipe for beginners",
      "Filler item response-hit",
    ]);
    expect(titles(await all({ q: "marmalade", kind: "RATING", sort: "relevance" }))).toEqual([
      "Filler item response-hit",
    ]);
  });

  it("keeps the search document current when a datapoint's text changes, and for every row", async () => {
    const id = await idOf("fill-0");
    await db.datapoint.update({ where: { id }, data: { prompt: "A question about a narwhal." } });
    expect((await all({ q: "narwhal", sort: "relevance" })).map((i) => i.id)).toEqual([id]);
    const [stale] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM datapoints
       WHERE search_vector IS DISTINCT FROM plenary_datapoint_search_document(title, prompt, context, responses)`;
    expect(stale).toEqual({ n: 0 });
  });

  it("sorts newest first, ties broken by id", async () => {
    const items = await all({ sort: "newest" });
    const expected = [...items].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    expect(items.map((i) => i.id)).toEqual(expected.map((i) => i.id));
    expect(new Set(items.map((i) => i.createdAt.getTime())).size).toBeGreaterThan(1);
    expect(items[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(items.at(-1)!.createdAt.getTime());
  });

  it("sorts the most discussed first, counting only comments that are not deleted", async () => {
    const items = await all({ sort: "discussed" });
    expect(items.slice(0, 3).map((i) => [i.title, i.commentCount])).toEqual([
      ["Filler item fill-5", 3],
      ["Filler item fill-7", 2],
      ["Filler item fill-9", 1],
    ]);
    const rest = items.slice(3);
    expect(rest.every((i) => i.commentCount === 0)).toBe(true);
    expect(rest.map((i) => i.id)).toEqual(
      rest
        .map((i) => i.id)
        .sort()
        .reverse(),
    );
  });

  it("sorts by closing time: open ones soonest first, then closed and finalized ones", async () => {
    const items = await all({ sort: "closing" });
    const groups = items.map((i) => i.batch.slug);
    const soon = groups.filter((g) => g === "closes-soon").length;
    const later = groups.filter((g) => g === "closes-later").length;
    expect(groups.slice(0, soon)).toEqual(Array(soon).fill("closes-soon"));
    // The finalized datapoint sits in an open batch but can no longer be voted on.
    expect(
      items.slice(soon, soon + later - 1).every((i) => i.batch.slug === "closes-later" && i.status === "OPEN"),
    ).toBe(true);
    const closed = items.slice(soon + later - 1);
    expect(closed.every((i) => i.status !== "OPEN")).toBe(true);
    expect(closed.map((i) => i.status)).toContain("FINALIZED");
    // Within one closing time, import order (ids ascend).
    const soonIds = items.slice(0, soon).map((i) => i.id);
    expect(soonIds).toEqual([...soonIds].sort());
  });

  it.each([
    ["newest", {}],
    ["discussed", { sort: "discussed" }],
    ["closing", { sort: "closing" }],
    ["relevance", { q: "filler OR marmalade" }],
    ["a filter", { kind: "PAIRWISE", sort: "discussed" }],
  ])("walks every row exactly once, in order, page by page, forward and back (%s)", async (_, params) => {
    const { query, problems } = parseListQuery(params);
    expect(problems).toEqual([]);
    const expected = (await all(query)).map((i) => i.id);
    expect(expected.length).toBeGreaterThan(7);
    for (const take of [1, 7, 20]) {
      const { forward, backward } = await walk(query, take);
      const ids = forward.flat().map((i) => i.id);
      expect(ids).toEqual(expected);
      expect(new Set(ids).size).toBe(ids.length);
      expect(forward.slice(0, -1).every((p) => p.length === take)).toBe(true);
      expect(forward.length).toBe(Math.max(1, Math.ceil(expected.length / take)));
      // Back from the last page: the same pages, the same rows, in reverse page order.
      expect(backward.map((p) => p.map((i) => i.id))).toEqual(
        forward
          .slice(0, -1)
          .reverse()
          .map((p) => p.map((i) => i.id)),
      );
    }
  });

  it("hands out no cursor on the last page, and twenty rows a page by default", async () => {
    const first = await findDatapoints({ sort: "newest" }, { now: NOW });
    expect(first.items).toHaveLength(20);
    expect(first.nextCursor).not.toBeNull();
    expect(first.prevCursor).toBeNull();
    const last = await findDatapoints({ q: "marmalade", sort: "relevance" }, { now: NOW });
    expect(last).toMatchObject({ nextCursor: null, prevCursor: null });
  });

  it("treats a malformed or tampered cursor as the first page, with a notice, never an error", async () => {
    const first = await findDatapoints({ sort: "newest" }, { now: NOW });
    for (const cursor of [
      "garbage!",
      first.nextCursor!.slice(0, -3),
      Buffer.from('{"s":"newest"}').toString("base64url"),
    ]) {
      const { query, problems } = parseListQuery({ cursor });
      expect(problems).toEqual(["This page link is damaged or out of date; showing the first page instead."]);
      expect((await findDatapoints(query, { now: NOW })).items).toEqual(first.items);
    }
    // Well-formed but pointing nowhere real: simply the rows after that position.
    const { query } = parseListQuery({
      cursor: Buffer.from(
        JSON.stringify({ s: "newest", createdAt: "1999-01-01T00:00:00Z", id: "00000000-0000-7000-8000-000000000000" }),
      ).toString("base64url"),
    });
    expect((await findDatapoints(query, { now: NOW })).items).toEqual([]);
  });

  it("serves the home page's newest items and the batch choices", async () => {
    const home = await listDatapoints({ take: 12 });
    expect(home.map((i) => i.id)).toEqual((await all({ sort: "newest" })).slice(0, 12).map((i) => i.id));
    expect((await listDatapoints({ batchSlug: "closed-past" })).every((i) => i.batch.slug === "closed-past")).toBe(
      true,
    );
    expect((await listBatchChoices()).map((b) => b.slug).sort()).toEqual([
      "closed-past",
      "closes-later",
      "closes-soon",
    ]);
  });
});
