// Flag the datapoint itself (a wrong label, personal data in a prompt…) for moderators.
import { getOwnFlags } from "@/lib/comments/data";
import type { CurrentUser } from "@/lib/users/data";
import { canParticipate } from "@/lib/users/policy";
import { FlagForm } from "./FlagForm";

type Props = {
  datapointId: string;
  /** The signed-in user (`currentUser()`); visitors see nothing (they cannot flag). */
  user: Pick<CurrentUser, "id" | "roles"> | null;
};

export async function FlagDatapoint({ datapointId, user }: Props) {
  if (!user || !canParticipate(user)) return null;
  const flags = await getOwnFlags(user.id, datapointId);
  if (flags.datapoint) {
    return <p className="text-sm text-muted">You flagged this datapoint; moderators will review it.</p>;
  }
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-accent hover:underline">Flag this datapoint</summary>
      <FlagForm target="datapoint" id={datapointId} />
    </details>
  );
}
