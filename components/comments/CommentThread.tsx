// The thread as nested lists, rendered on the server. Forms are small client islands.
import type { PublicComment } from "@/lib/comments/data";
import { deleteRefusal, editRefusal, flagRefusal, replyRefusal, type ThreadNode } from "@/lib/comments/rules";
import { CommentForm, DeleteCommentForm, EditCommentForm } from "./CommentForms";
import { FlagForm } from "./FlagForm";
import { formatDate } from "@/lib/domain/time";
import { Markdown } from "./Markdown";

/** Who is reading: their id (to offer Edit/Delete on their own comments) and past flags. */
export type Viewer = { id: string; flaggedCommentIds: Set<string> } | null;

type Node = ThreadNode<PublicComment>;

// Nesting is capped in buildThread (THREAD_MAX_DEPTH), so the indent is bounded: on a
// phone each level costs well under 1rem, and text keeps most of the width.
const NESTED = "mt-3 space-y-3 border-l-2 border-gray-200 pl-2 sm:pl-5";

export function CommentList({
  nodes,
  datapointId,
  viewer,
  nested = false,
}: {
  nodes: Node[];
  datapointId: string;
  viewer: Viewer;
  nested?: boolean;
}) {
  return (
    <ul className={nested ? NESTED : "space-y-3"}>
      {nodes.map((node) => (
        <CommentItem key={node.comment.id} node={node} datapointId={datapointId} viewer={viewer} />
      ))}
    </ul>
  );
}

function CommentItem({ node, datapointId, viewer }: { node: Node; datapointId: string; viewer: Viewer }) {
  const c = node.comment;
  // A withdrawn or redacted comment no longer carries its author's name.
  const author = c.state === "deleted" || c.state === "redacted" ? null : c.authorName;
  return (
    <li id={`comment-${c.id}`} className="scroll-mt-4">
      <article className="rounded border border-gray-200 bg-white p-3">
        <header className="flex flex-wrap items-baseline gap-x-2 text-sm">
          {author && <span className="font-semibold">{author}</span>}
          <time dateTime={c.createdAt.toISOString()} className="text-muted">
            {formatDate(c.createdAt)}
          </time>
          {node.inReplyTo && (
            <a href={`#comment-${node.inReplyTo.id}`} className="text-muted underline">
              in reply to {node.inReplyTo.state === "visible" ? node.inReplyTo.authorName : "a removed comment"}
            </a>
          )}
          {node.orphan && <span className="text-muted">in reply to a comment that is not shown</span>}
          {c.state === "visible" && c.editedAt && c.earlierVersions.length === 0 && (
            <span className="text-muted">(edited)</span>
          )}
        </header>
        <CommentBody comment={c} />
        {c.state === "visible" && c.editedAt && c.earlierVersions.length > 0 && (
          <History comment={c} editedAt={c.editedAt} />
        )}
        {viewer && <Actions comment={c} datapointId={datapointId} viewer={viewer} />}
      </article>
      {node.children.length > 0 && (
        <CommentList nodes={node.children} datapointId={datapointId} viewer={viewer} nested />
      )}
    </li>
  );
}

function CommentBody({ comment: c }: { comment: PublicComment }) {
  const tombstone = "mt-1 text-sm italic text-muted";
  if (c.state === "deleted") return <p className={tombstone}>[deleted]</p>;
  if (c.state === "redacted") return <p className={tombstone}>[redacted]</p>;
  if (c.state === "hidden") {
    return <p className={tombstone}>[removed by moderators{c.hiddenReason ? `: ${c.hiddenReason}` : ""}]</p>;
  }
  return (
    <div className="mt-1">
      <Markdown idPrefix={`c-${c.id}-`}>{c.body ?? ""}</Markdown>
    </div>
  );
}

function History({ comment: c, editedAt }: { comment: PublicComment; editedAt: Date }) {
  const n = c.earlierVersions.length;
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer text-muted">
        edited <time dateTime={editedAt.toISOString()}>{formatDate(editedAt)}</time> · {n} earlier version
        {n === 1 ? "" : "s"}
      </summary>
      <ol className="mt-2 space-y-2">
        {[...c.earlierVersions].reverse().map((v) => (
          <li key={v.version} className="rounded border border-dashed border-gray-300 p-2">
            <p className="text-xs text-muted">
              Version {v.version} · <time dateTime={v.createdAt.toISOString()}>{formatDate(v.createdAt)}</time>
            </p>
            <Markdown idPrefix={`c-${c.id}-v${v.version}-`}>{v.body}</Markdown>
          </li>
        ))}
      </ol>
    </details>
  );
}

const DISCLOSURE = "open:basis-full";
const SUMMARY = "cursor-pointer text-accent hover:underline";

/** What the signed-in reader may do; the same rules the mutations enforce. */
function Actions({
  comment: c,
  datapointId,
  viewer,
}: {
  comment: PublicComment;
  datapointId: string;
  viewer: NonNullable<Viewer>;
}) {
  const canReply = !replyRefusal(c);
  const canEdit = !editRefusal(c, viewer.id) && c.body !== null;
  const canDelete = !deleteRefusal(c, viewer.id);
  const flagged = viewer.flaggedCommentIds.has(c.id);
  const canFlag = !flagRefusal(c) && !flagged;
  if (!canReply && !canEdit && !canDelete && !canFlag && !flagged) return null;
  return (
    <div className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm">
      {canReply && (
        <details className={DISCLOSURE}>
          <summary className={SUMMARY}>Reply</summary>
          <CommentForm datapointId={datapointId} parentId={c.id} />
        </details>
      )}
      {canEdit && (
        <details className={DISCLOSURE}>
          <summary className={SUMMARY}>Edit</summary>
          <EditCommentForm commentId={c.id} body={c.body ?? ""} />
        </details>
      )}
      {canDelete && (
        <details className={DISCLOSURE}>
          <summary className={SUMMARY}>Delete</summary>
          <DeleteCommentForm commentId={c.id} />
        </details>
      )}
      {canFlag && (
        <details className={DISCLOSURE}>
          <summary className={SUMMARY}>Flag</summary>
          <FlagForm target="comment" id={c.id} />
        </details>
      )}
      {flagged && <span className="text-muted">You flagged this comment</span>}
    </div>
  );
}
