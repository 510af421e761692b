// The discussion UI rendered by React's server renderer over real data: what a visitor,
// an author and another participant are offered, tombstones, and no emails anywhere.
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { Discussion } from "@/components/comments/Discussion";
import { FlagDatapoint } from "@/components/comments/FlagDatapoint";
import { db } from "@/lib/db";
import { posted, seedDiscussion } from "./fixtures";
import { deleteComment, editComment, flag, redactComment } from "./mutations";

let datapointId: string;
let alice: string, bob: string, moderator: string;
const citizen = (id: string) => ({ id, roles: ["CITIZEN" as const] });

async function render(user: { id: string; roles: "CITIZEN"[] } | null) {
  return renderToStaticMarkup(await Discussion({ datapointId, user }));
}

const post = (body: string, by: string, parentId?: string) => posted(body, by, datapointId, parentId);
const count = (html: string, text: string) => html.split(text).length - 1;

beforeAll(async () => {
  // Alice has a display name, Bob only his pseudonym.
  ({ open: datapointId, alice, bob, moderator } = await seedDiscussion());
  const root = await post("Root by **Alice**", alice);
  await editComment(root, "Root by **Alice**, revised", alice);
  let parent = root;
  for (let i = 1; i <= 6; i++) parent = await post(`Depth ${i}`, i % 2 ? bob : alice, parent);
  const withdrawn = await post("Withdrawn words", bob);
  await post("Answer to the withdrawn one", alice, withdrawn);
  await deleteComment(withdrawn, bob);
  const legal = await post("Call me on 555-0142", bob);
  await redactComment(legal, "Personal data", moderator);
  await flag({ target: "comment", id: root, reason: "OFF_TOPIC" }, bob);
  // Hiding is the moderation feature's write; here it is only test data.
  const rude = await post("Rude remark", bob);
  await db.comment.update({
    where: { id: rude },
    data: { hiddenAt: new Date(), hiddenReason: "Harassment", hiddenById: moderator },
  });
});

describe("<Discussion>", () => {
  it("shows a visitor the thread read-only, with a sign-in link back to the page", async () => {
    const html = await render(null);
    expect(html).toContain(">Discussion</h2>");
    expect(html).toContain(`href="/signin?callbackUrl=${encodeURIComponent(`/datapoints/${datapointId}`)}"`);
    expect(html).toContain("Sign in to join the discussion");
    expect(html).not.toMatch(/<form|<textarea|>Reply<|>Edit<|>Flag</);
    expect(html).toContain("<strong>Alice</strong>, revised");
  });

  it("nests replies in lists, at most four levels deep, naming the parent beyond", async () => {
    const html = await render(null);
    // The deepest chain: root + 4 nested lists; depths 5 and 6 continue at depth 4.
    expect(html).toMatch(/(<ul[^>]*>(?:(?!<\/ul>)[\s\S])*){5}Depth 4/);
    expect(count(html, "in reply to ")).toBe(2);
  });

  it("keeps replies under tombstones and shows no withdrawn or redacted text", async () => {
    const html = await render(citizen(alice));
    expect(html).toContain("[deleted]");
    expect(html).toContain("[redacted]");
    expect(html).toContain("[removed by moderators: Harassment]");
    expect(html).not.toContain("Rude remark");
    expect(html).toContain("Answer to the withdrawn one");
    expect(html).not.toContain("Withdrawn words");
    expect(html).not.toContain("555-0142");
  });

  it("offers the version history of an edited comment", async () => {
    const html = await render(null);
    expect(html).toMatch(/<summary[^>]*>edited <time[^>]*>[^<]+<\/time> · 1 earlier version<\/summary>/);
    expect(html).toContain("Version 1");
    expect(html).toContain("Root by <strong>Alice</strong></p>");
  });

  it("offers Edit and Delete on one's own live comments only, and no second flag", async () => {
    const bobsView = await render(citizen(bob));
    // Bob wrote depths 1, 3 and 5 (still live), plus a deleted, a redacted and a hidden one:
    // a hidden comment may still be withdrawn, not edited.
    expect(count(bobsView, ">Edit</summary>")).toBe(3);
    expect(count(bobsView, ">Delete</summary>")).toBe(4);
    expect(bobsView).toContain("You flagged this comment");
    expect(count(bobsView, "<label")).toBeGreaterThan(0);
    expect(bobsView).toContain("Add a comment</label>");

    const alicesView = await render(citizen(alice));
    expect(count(alicesView, ">Edit</summary>")).toBe(5); // the root, depths 2, 4, 6 and the answer
    expect(alicesView).not.toContain("You flagged this comment");
  });

  it("names authors by display name or pseudonym, never by email", async () => {
    const html = await render(citizen(alice));
    const pseudonym = (await db.user.findUniqueOrThrow({ where: { id: bob } })).pseudonym;
    expect(html).toContain(`>${pseudonym}</span>`);
    expect(html).toContain(">Alice</span>");
    expect(html).not.toContain("@example.test");
  });
});

describe("<FlagDatapoint>", () => {
  it("offers the form to participants only, once", async () => {
    expect(await FlagDatapoint({ datapointId, user: null })).toBeNull();
    const form = renderToStaticMarkup((await FlagDatapoint({ datapointId, user: citizen(alice) }))!);
    expect(form).toContain("Flag this datapoint");
    expect(form).toMatch(/<label for="[^"]+-reason"[^>]*>Reason<\/label>/);
    await flag({ target: "datapoint", id: datapointId, reason: "MISLABELED" }, alice);
    const after = renderToStaticMarkup((await FlagDatapoint({ datapointId, user: citizen(alice) }))!);
    expect(after).toContain("You flagged this datapoint");
    expect(after).not.toContain("<form");
  });
});
