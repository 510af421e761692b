import { describe, expect, it } from "vitest";
import { auditHref, EVENT_TYPES, isFiltered, parseAuditQuery, parseDatapointId } from "./schema";

const id = "01a21c2a-1f84-7047-9df6-ccc002ac9dcf";

describe("parseAuditQuery", () => {
  it("reads no parameters as the newest events, unfiltered", () => {
    expect(parseAuditQuery({})).toEqual({ query: {}, problems: [] });
  });

  it("reads every filter and a seq range", () => {
    const parsed = parseAuditQuery({
      type: "vote.cast",
      datapoint: id.toUpperCase(),
      actor: " Calm-Otter-0412 ",
      from: "10",
      to: "20",
    });
    expect(parsed).toEqual({
      query: { type: "vote.cast", datapoint: id, actor: "calm-otter-0412", from: 10n, to: 20n },
      problems: [],
    });
    expect(parseAuditQuery({ actor: "system" }).query).toEqual({ actor: "system" });
  });

  it("offers every event type the log knows", () => {
    expect(EVENT_TYPES).toContain("decision.finalized");
    expect(EVENT_TYPES).toContain("flag.raised");
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
  });

  it("treats empty values (a form's 'any' choice) as no filter", () => {
    expect(parseAuditQuery({ type: "", datapoint: " ", actor: "", from: "", to: "", start: "" })).toEqual({
      query: {},
      problems: [],
    });
  });

  it("reports each bad value in a sentence and ignores only that value", () => {
    const parsed = parseAuditQuery({
      type: "vote.stolen",
      datapoint: "42",
      actor: "<script>",
      from: "-1",
      to: "1e3",
      before: "x",
      type2: "ignored",
    });
    expect(parsed.query).toEqual({});
    expect(parsed.problems).toEqual([
      "“vote.stolen” is not an event type; showing every type.",
      "“42” is not a datapoint id (a UUID); showing every datapoint.",
      "“<script>” is not a pseudonym (like calm-otter-0412) or “system”; showing every actor.",
      "“-1” is not a seq number (a whole number); the range has no lower end.",
      "“1e3” is not a seq number (a whole number); the range has no upper end.",
      "This page link (before “x”) is damaged; showing the newest events.",
    ]);
    expect(parseAuditQuery({ type: "vote.cast", datapoint: "nope" }).query).toEqual({ type: "vote.cast" });
  });

  it("refuses seqs too large for the database and shortens long values in the notice", () => {
    const parsed = parseAuditQuery({ from: "9".repeat(19), actor: "a".repeat(300) });
    expect(parsed.query).toEqual({});
    expect(parsed.problems[0]).toContain("is not a pseudonym");
    expect(parsed.problems[0]!.length).toBeLessThan(200);
    expect(parsed.problems[1]).toContain("the range has no lower end");
  });

  it("turns a reversed range round, with a notice", () => {
    const parsed = parseAuditQuery({ from: "20", to: "10" });
    expect(parsed.query).toEqual({ from: 10n, to: 20n });
    expect(parsed.problems).toHaveLength(1);
  });

  it("reads one page position: before, after, or a seq to start at (inclusive)", () => {
    expect(parseAuditQuery({ before: "100" }).query).toEqual({ position: { before: 100n } });
    expect(parseAuditQuery({ after: "100" }).query).toEqual({ position: { after: 100n } });
    expect(parseAuditQuery({ start: "100" }).query).toEqual({ position: { before: 101n } });
  });

  it("refuses two positions at once, and repeated parameters", () => {
    const both = parseAuditQuery({ before: "5", after: "3" });
    expect(both.query).toEqual({});
    expect(both.problems).toEqual(["A page can start at only one place; showing the newest events."]);
    const repeated = parseAuditQuery({ type: ["vote.cast", "vote.changed"] });
    expect(repeated.query).toEqual({});
    expect(repeated.problems).toEqual(["Event type was given more than once; it is ignored."]);
  });
});

describe("auditHref", () => {
  it("writes filters and a position, leaving absent ones out", () => {
    expect(auditHref({})).toBe("/audit");
    expect(auditHref({ type: "vote.cast", actor: "calm-otter-0412", from: 0n }, { before: 51n })).toBe(
      "/audit?type=vote.cast&actor=calm-otter-0412&from=0&before=51",
    );
    expect(auditHref({ datapoint: id, to: 9n }, { after: 3n })).toBe(`/audit?datapoint=${id}&to=9&after=3`);
  });

  it("round-trips through parseAuditQuery", () => {
    const query = { type: "comment.posted" as const, datapoint: id, actor: "system", from: 2n, to: 90n };
    const url = new URL(auditHref(query, { after: 7n }), "http://x");
    expect(parseAuditQuery(Object.fromEntries(url.searchParams)).query).toEqual({ ...query, position: { after: 7n } });
  });
});

describe("isFiltered and parseDatapointId", () => {
  it("knows when filters narrow the log", () => {
    expect(isFiltered({})).toBe(false);
    expect(isFiltered({ from: 0n })).toBe(true);
  });
  it("accepts only UUIDs as datapoint ids", () => {
    expect(parseDatapointId(id.toUpperCase())).toBe(id);
    expect(parseDatapointId("../etc")).toBeNull();
  });
});
