import { describe, expect, it } from "vitest";
import { commentBodySchema, flagSchema, newCommentSchema, readForm } from "./schema";

const id = "0190a4c0-0000-7000-8000-000000000001";
const message = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues[0]?.message;

describe("comment input", () => {
  it("trims the body and requires 1–10,000 characters", () => {
    expect(commentBodySchema.parse("  hello \n")).toBe("hello");
    expect(message(commentBodySchema.safeParse("   \n "))).toBe("Please write something before posting.");
    expect(message(commentBodySchema.safeParse(undefined))).toBe("Please write something before posting.");
    expect(commentBodySchema.safeParse("x".repeat(10_000)).success).toBe(true);
    expect(message(commentBodySchema.safeParse("x".repeat(10_001)))).toBe(
      "A comment can be at most 10,000 characters long.",
    );
    // The limit applies to the text kept, after trimming.
    expect(commentBodySchema.safeParse(` ${"x".repeat(10_000)} `).success).toBe(true);
  });

  it("takes uuids only, with a sentence a person can act on", () => {
    expect(newCommentSchema.safeParse({ datapointId: id, body: "hi" }).success).toBe(true);
    expect(message(newCommentSchema.safeParse({ datapointId: "42", body: "hi" }))).toMatch(/reload the page/);
    expect(message(newCommentSchema.safeParse({ datapointId: id, parentId: "nope", body: "hi" }))).toMatch(
      /reload the page/,
    );
  });
});

describe("flag input", () => {
  it("takes a known reason and an optional note of at most 1,000 characters", () => {
    expect(flagSchema.parse({ target: "comment", id, reason: "SPAM" })).toEqual({
      target: "comment",
      id,
      reason: "SPAM",
    });
    expect(flagSchema.parse({ target: "datapoint", id, reason: "OTHER", note: "  " }).note).toBeUndefined();
    expect(flagSchema.parse({ target: "datapoint", id, reason: "OTHER", note: " see A " }).note).toBe("see A");
    expect(message(flagSchema.safeParse({ target: "comment", id, reason: "BORING" }))).toBe(
      "Please choose a reason for the flag.",
    );
    expect(message(flagSchema.safeParse({ target: "comment", id }))).toBe("Please choose a reason for the flag.");
    expect(message(flagSchema.safeParse({ target: "comment", id, reason: "SPAM", note: "n".repeat(1_001) }))).toBe(
      "The note can be at most 1,000 characters long.",
    );
  });
});

describe("readForm", () => {
  it("reads named text fields, treating blanks and files as absent", () => {
    const form = new FormData();
    form.set("body", "text");
    form.set("parentId", "");
    form.set("upload", new Blob(["x"]), "x.txt");
    form.set("ignored", "not asked for");
    expect(readForm(form, ["body", "parentId", "upload", "missing"])).toEqual({
      body: "text",
      parentId: undefined,
      upload: undefined,
      missing: undefined,
    });
  });
});
