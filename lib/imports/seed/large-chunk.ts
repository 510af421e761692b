// One chunk of the large seed's story turned into what the services would have written:
// for every action its rows (users, batches, datapoints, votes and vote_history, comments and
// comment_versions) and its audit event, with the same fields, hashes and seq references.
// Rows that change within the chunk are written once in their final state; rows made by an
// earlier chunk are updated (a changed vote, an edited comment), as the services update them.
import { randomUUID } from "node:crypto";
import { sha256Hex } from "@/lib/audit/hash";
import { contentHashOf, labelOptionsOf } from "@/lib/datapoints/rules";
import { responseOrder, tallyVisibleTo } from "@/lib/votes/rules";
import type { Action, LargeWorld } from "./large-plan";
import { CopyTable, EventChain, iso, uuidv7 } from "./large-rows";
import { KIND_OF_RECORD } from "@/lib/domain/schema";

type PolicyRef = { id: string; contentHash: string };
export type Policies = Record<"equal" | "trust-tier", PolicyRef>;

type VoteRow = {
  insert: boolean;
  createdAt: number;
  option: string;
  rationale: string | null;
  shown: string;
  seq: bigint;
  updatedAt: number;
};
type CommentRow = { insert: boolean; createdAt: number; body: string; version: number; editedAt: number | null };

const KIND = KIND_OF_RECORD;

export type ChunkRows = {
  /** Inserts in foreign-key order, audit_events last. */
  inserts: CopyTable[];
  voteUpdates: CopyTable;
  commentUpdates: CopyTable;
  events: number;
};

export function chunkRows(world: LargeWorld, actions: Action[], chain: EventChain, policies: Policies): ChunkRows {
  const users = new CopyTable("users", ["id", "pseudonym", "verification_tier", "is_demo", "created_at"]);
  const batches = new CopyTable("batches", [
    "id",
    "slug",
    "title",
    "description",
    "policy_id",
    "opens_at",
    "closes_at",
    "tally_visibility",
    "rationale_required",
    "created_at",
  ]);
  const datapoints = new CopyTable("datapoints", [
    "id",
    "batch_id",
    "external_id",
    "kind",
    "category",
    "title",
    "prompt",
    "context",
    "responses",
    "label_options",
    "proposed_label",
    "proposed_label_source",
    "status",
    "content_hash",
    "created_at",
    "updated_at",
  ]);
  const history = new CopyTable("vote_history", [
    "id",
    "datapoint_id",
    "user_id",
    "option",
    "rationale",
    "shown",
    "idempotency_key",
    "audit_seq",
    "created_at",
  ]);
  const versions = new CopyTable("comment_versions", [
    "id",
    "comment_id",
    "version",
    "body",
    "body_hash",
    "created_at",
  ]);
  const votes = new Map<number, VoteRow>();
  const comments = new Map<number, CommentRow>();
  const first = chain.seq;

  for (const action of actions) {
    switch (action.type) {
      case "user": {
        const user = world.users[action.user]!;
        users.add([user.id, user.pseudonym, user.tier, false, iso(user.at)]);
        chain.append({
          at: iso(user.at),
          type: "user.created",
          actorId: null,
          userId: user.id,
          pseudonym: user.pseudonym,
          verificationTier: user.tier,
        });
        break;
      }
      case "batch": {
        const b = world.batches[action.batch]!;
        const policy = policies[b.policy];
        batches.add([
          b.id,
          b.slug,
          b.title,
          b.description,
          policy.id,
          iso(b.opensAt),
          iso(b.closesAt),
          b.tallyVisibility,
          b.rationaleRequired,
          iso(b.at),
        ]);
        chain.append({
          at: iso(b.at),
          type: "batch.created",
          actorId: null,
          batchId: b.id,
          slug: b.slug,
          title: b.title,
          policyHash: policy.contentHash,
          opensAt: iso(b.opensAt),
          closesAt: iso(b.closesAt),
          tallyVisibility: b.tallyVisibility,
          rationaleRequired: b.rationaleRequired,
        });
        break;
      }
      case "datapoint": {
        const d = world.datapoints[action.datapoint]!;
        const r = d.record;
        const batchId = world.batches[d.batch]!.id;
        const contentHash = contentHashOf(r);
        datapoints.add([
          d.id,
          batchId,
          r.externalId,
          KIND[r.kind],
          r.category,
          r.title,
          r.prompt,
          r.context ?? null,
          JSON.stringify(r.responses),
          JSON.stringify(labelOptionsOf(r)),
          r.proposedLabel,
          r.proposedLabelSource,
          d.status,
          contentHash,
          iso(d.at),
          iso(d.at),
        ]);
        chain.append({
          at: iso(d.at),
          type: "datapoint.published",
          actorId: null,
          datapointId: d.id,
          batchId,
          externalId: r.externalId,
          kind: KIND[r.kind],
          contentHash,
          options: d.options,
          proposedLabel: r.proposedLabel,
          proposedLabelSource: r.proposedLabelSource,
        });
        break;
      }
      case "vote": {
        const d = world.datapoints[world.voteDatapoint[action.vote]!]!;
        const userId = world.users[world.voteUser[action.vote]!]!.id;
        const voteId = world.voteIds[action.vote]!;
        const changed = action.previous !== null;
        const shown = {
          order: responseOrder(userId, d.id, d.responseIds),
          proposedLabelVisible: true,
          // As castVote: a first vote is cast blind; a change may follow a look at the tally.
          tallyVisible: changed ? tallyVisibleTo(world.batches[d.batch]!.tallyVisibility, true, true) : false,
        };
        const common = {
          at: iso(action.at),
          actorId: userId,
          voteId,
          datapointId: d.id,
          option: action.option,
          rationaleHash: action.rationale ? sha256Hex(action.rationale) : null,
          shown,
        };
        const { seq } = chain.append(
          changed
            ? { ...common, type: "vote.changed", previousOption: action.previous! }
            : { ...common, type: "vote.cast" },
        );
        const shownText = JSON.stringify(shown);
        const earlier = votes.get(action.vote);
        const row = { option: action.option, rationale: action.rationale, shown: shownText, seq, updatedAt: action.at };
        votes.set(action.vote, earlier ? { ...earlier, ...row } : { insert: !changed, createdAt: action.at, ...row });
        history.add([
          uuidv7(action.at),
          d.id,
          userId,
          action.option,
          action.rationale,
          shownText,
          randomUUID(),
          seq,
          iso(action.at),
        ]);
        break;
      }
      case "comment": {
        const c = action.comment;
        const datapointId = world.datapoints[world.commentDatapoint[c]!]!.id;
        const commentId = world.commentIds[c]!;
        const parent = world.commentParent[c]!;
        const bodyHash = sha256Hex(action.body);
        comments.set(c, { insert: true, createdAt: action.at, body: action.body, version: 1, editedAt: null });
        versions.add([uuidv7(action.at), commentId, 1, action.body, bodyHash, iso(action.at)]);
        chain.append({
          at: iso(action.at),
          type: "comment.posted",
          actorId: world.users[world.commentAuthor[c]!]!.id,
          commentId,
          datapointId,
          parentId: parent >= 0 ? world.commentIds[parent]! : null,
          bodyHash,
        });
        break;
      }
      case "edit": {
        const c = action.comment;
        const commentId = world.commentIds[c]!;
        const bodyHash = sha256Hex(action.body);
        const earlier = comments.get(c);
        const edit = { body: action.body, version: action.version, editedAt: action.at };
        comments.set(c, earlier ? { ...earlier, ...edit } : { insert: false, createdAt: action.at, ...edit });
        versions.add([uuidv7(action.at), commentId, action.version, action.body, bodyHash, iso(action.at)]);
        chain.append({
          at: iso(action.at),
          type: "comment.edited",
          actorId: world.users[world.commentAuthor[c]!]!.id,
          commentId,
          datapointId: world.datapoints[world.commentDatapoint[c]!]!.id,
          version: action.version,
          bodyHash,
        });
        break;
      }
    }
  }

  const voteRows = new CopyTable("votes", [
    "id",
    "datapoint_id",
    "user_id",
    "option",
    "rationale",
    "shown",
    "audit_seq",
    "created_at",
    "updated_at",
  ]);
  const voteUpdates = new CopyTable("seed_vote_updates", [
    "id",
    "option",
    "rationale",
    "shown",
    "audit_seq",
    "updated_at",
  ]);
  for (const [vote, row] of votes) {
    const id = world.voteIds[vote]!;
    if (row.insert) {
      const datapointId = world.datapoints[world.voteDatapoint[vote]!]!.id;
      const userId = world.users[world.voteUser[vote]!]!.id;
      voteRows.add([
        id,
        datapointId,
        userId,
        row.option,
        row.rationale,
        row.shown,
        row.seq,
        iso(row.createdAt),
        iso(row.updatedAt),
      ]);
    } else voteUpdates.add([id, row.option, row.rationale, row.shown, row.seq, iso(row.updatedAt)]);
  }
  const commentRows = new CopyTable("comments", [
    "id",
    "datapoint_id",
    "author_id",
    "parent_id",
    "body",
    "current_version",
    "created_at",
    "edited_at",
  ]);
  const commentUpdates = new CopyTable("seed_comment_updates", ["id", "body", "current_version", "edited_at"]);
  for (const [c, row] of comments) {
    const editedAt = row.editedAt === null ? null : iso(row.editedAt);
    if (row.insert) {
      const parent = world.commentParent[c]!;
      commentRows.add([
        world.commentIds[c]!,
        world.datapoints[world.commentDatapoint[c]!]!.id,
        world.users[world.commentAuthor[c]!]!.id,
        parent >= 0 ? world.commentIds[parent]! : null,
        row.body,
        row.version,
        iso(row.createdAt),
        editedAt,
      ]);
    } else commentUpdates.add([world.commentIds[c]!, row.body, row.version, editedAt]);
  }
  return {
    inserts: [users, batches, datapoints, voteRows, history, commentRows, versions, chain.rows],
    voteUpdates,
    commentUpdates,
    events: Number(chain.seq - first),
  };
}
