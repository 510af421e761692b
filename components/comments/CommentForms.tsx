"use client";
// Forms to write in the discussion. Every field has a visible label; the server actions
// decide everything (who may, what is valid), these only collect the input.
import { useId } from "react";
import { deleteCommentAction, editCommentAction, postCommentAction } from "@/lib/comments/actions";
import { ActionForm } from "@/components/ui/ActionForm";

// Mirrors lib/comments/schema.ts, which is not imported here: it would ship zod to the browser.
const COMMENT_MAX_LENGTH = 10_000;

function BodyField({ label, defaultValue = "" }: { label: string; defaultValue?: string }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <textarea
        id={id}
        name="body"
        rows={4}
        maxLength={COMMENT_MAX_LENGTH}
        defaultValue={defaultValue}
        aria-describedby={`${id}-hint`}
        className="mt-1 block w-full rounded border border-gray-300 bg-white p-2 text-sm"
      />
      <p id={`${id}-hint`} className="mt-1 text-xs text-muted">
        Markdown works: **bold**, _italic_, [links](https://…), lists, `code`. Images show as text.
      </p>
    </div>
  );
}

/** A new top-level comment, or a reply to `parentId`. */
export function CommentForm({ datapointId, parentId }: { datapointId: string; parentId?: string }) {
  return (
    <ActionForm
      testId="discussion-form"
      action={postCommentAction}
      submitLabel={parentId ? "Post reply" : "Post comment"}
      pendingLabel="Posting…"
    >
      <input type="hidden" name="datapointId" value={datapointId} />
      {parentId && <input type="hidden" name="parentId" value={parentId} />}
      <BodyField label={parentId ? "Your reply" : "Add a comment"} />
    </ActionForm>
  );
}

export function EditCommentForm({ commentId, body }: { commentId: string; body: string }) {
  return (
    <ActionForm testId="discussion-form" action={editCommentAction} submitLabel="Save edit" pendingLabel="Saving…">
      <input type="hidden" name="commentId" value={commentId} />
      <BodyField label="Edit your comment" defaultValue={body} />
    </ActionForm>
  );
}

/** Opened from a "Delete" disclosure, so deleting always takes a second, deliberate step. */
export function DeleteCommentForm({ commentId }: { commentId: string }) {
  return (
    <ActionForm
      testId="discussion-form"
      action={deleteCommentAction}
      submitLabel="Yes, delete my comment"
      pendingLabel="Deleting…"
      tone="danger"
    >
      <input type="hidden" name="commentId" value={commentId} />
      <p className="text-sm">
        Your comment will show as “[deleted]”; replies to it stay. Earlier versions are no longer shown.
      </p>
    </ActionForm>
  );
}
