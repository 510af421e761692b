import { describe, expect, it } from "vitest";
import { parseSearchParams } from "@/lib/http/problem";
import { decodeCursor, encodeCursor } from "./cursor";
import {
  auditQuery,
  datasetQuery,
  decisionTimeRange,
  decisionsQuery,
  filterParams,
  filtersOf,
  parseFilterForm,
} from "./schema";

const parse = async (schema: Parameters<typeof parseSearchParams>[0], query: string) => {
  const parsed = parseSearchParams(schema, new URLSearchParams(query));
  return parsed.ok
    ? { ok: true as const, value: parsed.value }
    : { ok: false as const, status: parsed.response.status, detail: (await parsed.response.json()).detail as string };
};

describe("download parameters", () => {
  it("read filters, defaulting status to FINALIZED and ignoring empty form fields", async () => {
    const parsed = await parse(
      datasetQuery,
      "batch=helpful-1&status=any&minAgreement=0.75&minMargin=.2&from=2026-01-01&to=2026-02-01T00:00:00Z&limit=10&minMargin=",
    );
    expect(parsed.ok).toBe(false); // minMargin given twice
    const ok = await parse(
      datasetQuery,
      "batch=helpful-1&status=reopened&minAgreement=0.75&minMargin=.2&from=2026-01-01&to=&limit=10",
    );
    expect(ok).toEqual({
      ok: true,
      value: {
        batch: "helpful-1",
        status: "REOPENED",
        minAgreement: 0.75,
        minMargin: 0.2,
        from: "2026-01-01",
        limit: 10,
      },
    });
    expect(filtersOf({})).toEqual({ status: "FINALIZED" });
  });

  it("answer bad input with one sentence", async () => {
    const cases: [string, RegExp][] = [
      ["minAgreement=1.5", /minAgreement must be a number from 0 to 1/],
      ["minMargin=abc", /minMargin must be a number from 0 to 1/],
      ["status=DONE", /status must be one of FINALIZED, CLOSED, OPEN, REOPENED, any/],
      ["from=2026-02-30", /from must be a date/],
      ["from=2026-03-01&to=2026-02-01", /from must not be later than to/],
      ["limit=0", /limit must be a whole number/],
      ["limit=2000000", /limit must be at most 1,000,000/],
      ["batch=Not A Slug", /batch must be a batch's slug/],
      ["minAgreemnt=0.5", /Unknown parameter "minAgreemnt"/],
      ["decisionStatus=FINAL", /Unknown parameter "decisionStatus"/],
    ];
    for (const [query, detail] of cases) {
      const parsed = await parse(datasetQuery, query);
      expect(parsed, query).toMatchObject({ ok: false, status: 400, detail: expect.stringMatching(detail) });
    }
    expect(await parse(decisionsQuery, "decisionStatus=superseded")).toMatchObject({
      ok: true,
      value: { decisionStatus: "SUPERSEDED" },
    });
    expect(await parse(auditQuery, "fromSeq=10&toSeq=9")).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/fromSeq must not be larger/),
    });
  });

  it("turn dates into a half-open range of decision times; a day as `to` includes the whole day", () => {
    expect(decisionTimeRange({ from: "2026-01-01", to: "2026-01-31" })).toEqual({
      from: new Date("2026-01-01T00:00:00Z"),
      before: new Date("2026-02-01T00:00:00Z"),
    });
    expect(decisionTimeRange({ to: "2026-01-31T12:00:00Z" })).toEqual({ before: new Date("2026-01-31T12:00:00.001Z") });
    expect(decisionTimeRange({})).toEqual({});
  });

  it("write filters back as the shortest query, for links and manifest paths", () => {
    expect(String(filterParams({ status: "FINALIZED" }))).toBe("");
    expect(String(filterParams({ batch: "b-1", status: "any", minAgreement: 0.7, from: "2026-01-01" }))).toBe(
      "batch=b-1&status=any&minAgreement=0.7&from=2026-01-01",
    );
  });

  it("check the /data form field by field, keeping the good ones", () => {
    const { filters, problems } = parseFilterForm({ batch: "b-1", minAgreement: "2", minMargin: " 0.3 ", status: "" });
    expect(filters).toEqual({ batch: "b-1", status: "FINALIZED", minMargin: 0.3 });
    expect(problems).toEqual(["minAgreement must be a number from 0 to 1, such as 0.7."]);
  });
});

describe("cursors", () => {
  const key = ["0195f3c2-0000-7000-8000-000000000001", "0195f3c2-0000-7000-8000-000000000002"];

  it("round-trip, carrying the cut", () => {
    const text = encodeCursor({ family: "votes", cut: 1234n, key });
    expect(decodeCursor(text, "votes")).toEqual({ family: "votes", cut: 1234n, key });
  });

  it("refuse junk, tampering and cursors of another download", () => {
    const votes = encodeCursor({ family: "votes", cut: 1n, key });
    expect(decodeCursor(votes, "decisions")).toBeNull();
    expect(decodeCursor(encodeCursor({ family: "dataset", cut: 1n, key }), "dataset")).toBeNull();
    for (const junk of [
      "",
      "***",
      "e30",
      Buffer.from('{"f":"votes","c":"1","k":["x","y"]}').toString("base64url"),
      "a".repeat(600),
    ]) {
      expect(decodeCursor(junk, "votes"), junk).toBeNull();
    }
  });
});
