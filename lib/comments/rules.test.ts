import { describe, expect, it } from "vitest";
import {
  buildThread,
  canRedact,
  commentState,
  deleteRefusal,
  editRefusal,
  flagRefusal,
  replyRefusal,
  type ThreadNode,
  type ThreadRow,
} from "./rules";

let clock = 0;
const row = (id: string, parentId: string | null = null): ThreadRow => ({
  id,
  parentId,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)),
});

/** The tree as nested ids: "a(b(c),d)". */
const shape = (nodes: ThreadNode<ThreadRow>[]): string =>
  nodes.map((n) => n.comment.id + (n.children.length ? `(${shape(n.children)})` : "")).join(",");

describe("buildThread", () => {
  it("nests replies under their parents, oldest first at every level", () => {
    const a = row("a"),
      b = row("b"),
      a1 = row("a1", "a"),
      b1 = row("b1", "b"),
      a2 = row("a2", "a"),
      a1x = row("a1x", "a1");
    // Input order does not matter: rows are placed by time.
    const tree = buildThread([a1x, b1, a2, a1, b, a]);
    expect(shape(tree)).toBe("a(a1(a1x),a2),b(b1)");
    expect(tree[0]!.children[0]!.children[0]!.depth).toBe(2);
  });

  it("breaks ties in time by id, so the order is stable", () => {
    const at = new Date("2026-01-01T00:00:00Z");
    const tree = buildThread([
      { id: "y", parentId: null, createdAt: at },
      { id: "x", parentId: null, createdAt: at },
    ]);
    expect(shape(tree)).toBe("x,y");
  });

  it("shows orphans at top level instead of losing them", () => {
    const tree = buildThread([row("a"), row("lost", "missing-parent"), row("reply", "lost")]);
    expect(shape(tree)).toBe("a,lost(reply)");
    expect(tree[1]!.orphan).toBe(true);
    expect(tree[0]!.orphan).toBe(false);
    expect(tree[1]!.children[0]!.orphan).toBe(false);
  });

  it("cannot lose comments to a cycle in corrupt data", () => {
    const x = { id: "x", parentId: "y", createdAt: new Date(1) };
    const y = { id: "y", parentId: "x", createdAt: new Date(2) };
    expect(shape(buildThread([x, y]))).toBe("x(y)");
  });

  it("caps the display depth: deeper replies continue beside their parent and name it", () => {
    const rows = [row("d0")];
    for (let i = 1; i <= 6; i++) rows.push(row(`d${i}`, `d${i - 1}`));
    const tree = buildThread(rows, 3);
    expect(shape(tree)).toBe("d0(d1(d2(d3,d4,d5,d6)))");
    const capped = tree[0]!.children[0]!.children[0]!.children;
    expect(capped.map((n) => n.depth)).toEqual([3, 3, 3, 3]);
    expect(capped.map((n) => n.inReplyTo?.id ?? null)).toEqual([null, "d3", "d4", "d5"]);
  });

  it("keeps the capped level chronological when several branches continue there", () => {
    const rows = [row("r"), row("p", "r"), row("q", "r"), row("p1", "p"), row("q1", "q"), row("p2", "p1")];
    const tree = buildThread(rows, 1);
    expect(shape(tree)).toBe("r(p,q,p1,q1,p2)");
    expect(tree[0]!.children.map((n) => n.inReplyTo?.id ?? null)).toEqual([null, null, "p", "q", "p1"]);
  });

  it("builds nothing from nothing", () => {
    expect(buildThread([])).toEqual([]);
  });
});

const author = "00000000-0000-7000-8000-000000000001";
const other = "00000000-0000-7000-8000-000000000002";
const live = { authorId: author, deletedAt: null, hiddenAt: null, redactedAt: null };
const when = new Date("2026-02-01T00:00:00Z");

describe("commentState", () => {
  it("lets the strongest intervention win", () => {
    expect(commentState(live)).toBe("visible");
    expect(commentState({ ...live, deletedAt: when })).toBe("deleted");
    expect(commentState({ ...live, deletedAt: when, hiddenAt: when })).toBe("hidden");
    expect(commentState({ ...live, deletedAt: when, hiddenAt: when, redactedAt: when })).toBe("redacted");
  });
});

describe("who may change a comment", () => {
  it("lets only the author edit, and only while the comment is visible", () => {
    expect(editRefusal(live, author)).toBeNull();
    expect(editRefusal(live, other)?.reason).toBe("NOT_AUTHOR");
    expect(editRefusal({ ...live, deletedAt: when }, author)?.reason).toBe("DELETED");
    expect(editRefusal({ ...live, hiddenAt: when }, author)?.reason).toBe("HIDDEN");
    expect(editRefusal({ ...live, redactedAt: when }, author)?.reason).toBe("REDACTED");
  });

  it("lets only the author delete, once, and not after redaction", () => {
    expect(deleteRefusal(live, author)).toBeNull();
    expect(deleteRefusal({ ...live, hiddenAt: when }, author)).toBeNull();
    expect(deleteRefusal(live, other)?.reason).toBe("NOT_AUTHOR");
    expect(deleteRefusal({ ...live, deletedAt: when }, author)?.reason).toBe("DELETED");
    expect(deleteRefusal({ ...live, redactedAt: when }, author)?.reason).toBe("REDACTED");
  });

  it("refuses a stranger before telling them anything about the comment's state", () => {
    expect(editRefusal({ ...live, redactedAt: when }, other)?.reason).toBe("NOT_AUTHOR");
  });

  it("takes replies only to visible comments and flags on anything not redacted", () => {
    expect(replyRefusal(live)).toBeNull();
    expect(replyRefusal({ ...live, deletedAt: when })?.message).toMatch(/can no longer be answered/);
    expect(flagRefusal({ ...live, deletedAt: when })).toBeNull();
    expect(flagRefusal({ ...live, redactedAt: when })?.reason).toBe("REDACTED");
  });

  it("lets moderators and admins redact, and nobody else", () => {
    expect(canRedact(null)).toBe(false);
    expect(canRedact({ roles: ["CITIZEN"] })).toBe(false);
    expect(canRedact({ roles: ["CITIZEN", "RESEARCHER"] })).toBe(false);
    expect(canRedact({ roles: ["CITIZEN", "MODERATOR"] })).toBe(true);
    expect(canRedact({ roles: ["ADMIN"] })).toBe(true);
  });
});
