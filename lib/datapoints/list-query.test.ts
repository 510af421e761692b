import { describe, expect, it } from "vitest";
import { encodeCursor } from "./cursor";
import { isFiltered, listHref, MAX_SEARCH_LENGTH, parseListQuery } from "./list-query";

const id = "01a21c2a-1f84-7047-9df6-ccc002ac9dcf";

describe("parseListQuery", () => {
  it("reads no parameters as the whole list, newest first", () => {
    expect(parseListQuery({})).toEqual({ query: { sort: "newest" }, problems: [] });
  });

  it("reads every filter, ignoring case where the URL may be typed by hand", () => {
    const parsed = parseListQuery({
      batch: "helpfulness-nov-2026",
      status: "open",
      kind: "Pairwise",
      category: "HONESTY",
      sort: "Discussed",
    });
    expect(parsed).toEqual({
      query: {
        batch: "helpfulness-nov-2026",
        status: "OPEN",
        kind: "PAIRWISE",
        category: "honesty",
        sort: "discussed",
      },
      problems: [],
    });
  });

  it("treats the empty values a form's 'any' choices submit as no filter", () => {
    expect(parseListQuery({ batch: "", status: "", kind: "", category: "", q: "  ", sort: "", cursor: "" })).toEqual({
      query: { sort: "newest" },
      problems: [],
    });
  });

  it("sorts a search by relevance unless another order is asked for", () => {
    expect(parseListQuery({ q: "  great   wall " }).query).toEqual({ q: "great wall", sort: "relevance" });
    expect(parseListQuery({ q: "wall", sort: "closing" }).query).toEqual({ q: "wall", sort: "closing" });
  });

  it("falls back to newest when relevance is asked for without a search", () => {
    const parsed = parseListQuery({ sort: "relevance" });
    expect(parsed.query.sort).toBe("newest");
    expect(parsed.problems).toEqual(["Sorting by relevance needs a search; showing the newest first."]);
  });

  it("never lets drafts be asked for, and says why", () => {
    const parsed = parseListQuery({ status: "DRAFT" });
    expect(parsed.query).toEqual({ sort: "newest" });
    expect(parsed.problems).toEqual(["Drafts are not public; showing every public status."]);
  });

  it("reports each invalid value and keeps the valid ones", () => {
    const parsed = parseListQuery({
      batch: "Not A Slug!",
      kind: "essay",
      category: "honesty",
      status: "open",
      sort: "random",
    });
    expect(parsed.query).toEqual({ category: "honesty", status: "OPEN", sort: "newest" });
    expect(parsed.problems).toEqual([
      "“Not A Slug!” is not a batch name (lower-case letters, digits and hyphens); showing all batches.",
      "“essay” is not a kind (pairwise, rating or classification); showing every kind.",
      "“random” is not a sort order; showing the default order.",
    ]);
  });

  it("reports a parameter given twice", () => {
    const parsed = parseListQuery({ kind: ["RATING", "PAIRWISE"] });
    expect(parsed.query).toEqual({ sort: "newest" });
    expect(parsed.problems).toEqual(["Kind was given more than once; it is ignored."]);
  });

  it("refuses an over-long search and turns control characters into spaces", () => {
    const long = parseListQuery({ q: "a".repeat(MAX_SEARCH_LENGTH + 1) });
    expect(long.query).toEqual({ sort: "newest" });
    expect(long.problems).toEqual([
      `A search can be at most ${MAX_SEARCH_LENGTH} characters; showing results without it.`,
    ]);
    expect(parseListQuery({ q: "great\u0000wall\n" }).query.q).toBe("great wall");
    expect(parseListQuery({ q: "\u0000\u0001" }).query).toEqual({ sort: "newest" });
  });

  it("shortens a huge invalid value in its message", () => {
    const [problem] = parseListQuery({ kind: "x".repeat(5000) }).problems;
    expect(problem!.length).toBeLessThan(200);
  });

  it("decodes a cursor for the sort in use", () => {
    const after = { s: "discussed" as const, comments: 3, id };
    expect(parseListQuery({ sort: "discussed", cursor: encodeCursor(after) }).query).toEqual({
      sort: "discussed",
      after,
    });
  });

  it("shows the first page, with a notice, for a malformed cursor or one from another sort", () => {
    const notice = "This page link is damaged or out of date; showing the first page instead.";
    for (const cursor of ["%%%", "eyJub3BlIjp0cnVlfQ", encodeCursor({ s: "discussed", comments: 3, id })]) {
      const parsed = parseListQuery({ cursor });
      expect(parsed.query).toEqual({ sort: "newest" });
      expect(parsed.problems).toEqual([notice]);
    }
  });
});

describe("listHref", () => {
  it("leaves defaults out of the URL", () => {
    expect(listHref({ sort: "newest" })).toBe("/datapoints");
    expect(listHref({ q: "wall", sort: "relevance" })).toBe("/datapoints?q=wall");
  });

  it("keeps every filter and a non-default sort, and round-trips through parseListQuery", () => {
    const query = {
      q: "great wall",
      batch: "honesty-nov-2026",
      status: "OPEN",
      kind: "RATING",
      category: "honesty",
      sort: "closing",
    } as const;
    const href = listHref(query, "abc_-1");
    expect(href).toBe(
      "/datapoints?q=great+wall&batch=honesty-nov-2026&status=OPEN&kind=RATING&category=honesty&sort=closing&cursor=abc_-1",
    );
    const params = Object.fromEntries(new URL(href, "http://x").searchParams);
    const { cursor: _cursor, ...rest } = params;
    expect(parseListQuery(rest)).toEqual({ query, problems: [] });
  });
});

describe("isFiltered", () => {
  it("is true for any filter or search, not for a sort", () => {
    expect(isFiltered({})).toBe(false);
    expect(isFiltered({ kind: "RATING" })).toBe(true);
    expect(isFiltered({ q: "x" })).toBe(true);
  });
});
