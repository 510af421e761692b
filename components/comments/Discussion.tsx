// The discussion of one datapoint: read by anyone, written by signed-in participants.
import Link from "next/link";
import { getOwnFlags, getThread, type ThreadView } from "@/lib/comments/data";
import type { CurrentUser } from "@/lib/users/data";
import { canParticipate } from "@/lib/users/policy";
import { CommentForm } from "./CommentForms";
import { CommentList, type Viewer } from "./CommentThread";

type Props = {
  datapointId: string;
  /** The signed-in user (`currentUser()`), or null for a visitor, who only reads. */
  user: Pick<CurrentUser, "id" | "roles"> | null;
  /** The thread when the page already started reading it (with its other reads); else read here. */
  thread?: Promise<ThreadView>;
};

export async function Discussion({ datapointId, user, thread: threadRead }: Props) {
  const participant = user && canParticipate(user) ? user : null;
  const [thread, flags] = await Promise.all([
    threadRead ?? getThread(datapointId),
    participant ? getOwnFlags(participant.id, datapointId) : null,
  ]);
  const viewer: Viewer = participant && flags ? { id: participant.id, flaggedCommentIds: flags.commentIds } : null;
  const page = `/datapoints/${datapointId}`;

  return (
    <section id="discussion" aria-labelledby="discussion-heading" className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-x-3">
        <h2 id="discussion-heading" className="text-xl font-semibold">
          Discussion
        </h2>
        <p className="text-sm text-muted">
          {thread.comments === 0 ? "No comments yet" : `${thread.comments} comment${thread.comments === 1 ? "" : "s"}`}
        </p>
      </div>

      {viewer ? (
        <CommentForm datapointId={datapointId} />
      ) : (
        <p className="text-sm">
          <Link href={`/signin?callbackUrl=${encodeURIComponent(page)}`} className="font-medium text-accent underline">
            Sign in to join the discussion
          </Link>
        </p>
      )}

      {thread.nodes.length > 0 && <CommentList nodes={thread.nodes} datapointId={datapointId} viewer={viewer} />}
    </section>
  );
}
