import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ActionForm } from "@/components/ui/ActionForm";
import { currentUser } from "@/lib/auth/session";
import { changeBatchPolicyAction } from "@/lib/batches/actions";
import { batchAgreementByKind, batchBridging, getBatch } from "@/lib/batches/data";
import { listPolicyChoices } from "@/lib/voting-policies/data";
import { canChoosePolicies } from "@/lib/users/policy";
import { formatDate } from "@/lib/domain/time";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const batch = await getBatch((await params).slug);
  return { title: batch?.title ?? "Batch not found" };
}

export default async function BatchPage({ params }: Props) {
  const [batch, user] = await Promise.all([getBatch((await params).slug), currentUser()]);
  if (!batch) notFound();
  const admin = canChoosePolicies(user);
  const [agreement, bridging] = await Promise.all([batchAgreementByKind(batch.id), batchBridging(batch.id)]);
  const choices = admin ? await listPolicyChoices() : [];
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{batch.title}</h1>
      <p>
        <Link href={`/batches/${batch.slug}/research`} className="text-accent underline" data-testid="research-link">
          Research: agreement and quality plots →
        </Link>
      </p>
      <p className="max-w-3xl text-muted">{batch.description}</p>
      <dl className="grid max-w-2xl grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="text-muted">Voting</dt>
        <dd>
          {formatDate(batch.opensAt)} – {formatDate(batch.closesAt)}
        </dd>
        <dt className="text-muted">Voting policy</dt>
        <dd>
          <Link
            href={`/policies/${batch.policy.contentHash}`}
            className="text-accent underline"
            data-testid="batch-policy"
          >
            {batch.policy.name} v{batch.policy.version}
          </Link>
        </dd>
        <dt className="text-muted">Tally shown</dt>
        <dd>
          {batch.tallyVisibility === "AFTER_CLOSE" ? "after voting closes" : "to each voter after their own vote"}
        </dd>
        <dt className="text-muted">Rationale</dt>
        <dd>{batch.rationaleRequired ? "required with every vote" : "optional"}</dd>
        <dt className="text-muted">Datapoints</dt>
        <dd>
          <Link href={`/datapoints?batch=${batch.slug}`} className="text-accent underline">
            {batch.datapointCount} published
          </Link>
        </dd>
      </dl>

      <section aria-labelledby="agreement" className="space-y-2">
        <h2 id="agreement" className="text-lg font-semibold">
          Agreement between voters
        </h2>
        {agreement.length === 0 ? (
          <p className="text-muted">No votes yet.</p>
        ) : (
          <table className="text-sm" data-testid="agreement">
            <caption className="sr-only">Krippendorff&apos;s alpha per kind of datapoint</caption>
            <thead>
              <tr className="text-left text-muted">
                <th scope="col" className="pr-4 font-normal">
                  Kind
                </th>
                <th scope="col" className="pr-4 font-normal">
                  Krippendorff&apos;s α
                </th>
                <th scope="col" className="pr-4 font-normal">
                  Datapoints with votes
                </th>
                <th scope="col" className="font-normal">
                  Pairable votes
                </th>
              </tr>
            </thead>
            <tbody>
              {agreement.map((a) => (
                <tr key={a.kind}>
                  <th scope="row" className="pr-4 text-left font-normal">
                    {a.kind.toLowerCase()} ({a.level})
                  </th>
                  <td className="pr-4">{a.alpha === null ? "not enough overlap yet" : a.alpha.toFixed(3)}</td>
                  <td className="pr-4">{a.datapoints}</td>
                  <td>{a.pairable}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="text-sm text-muted">α is 1 for perfect agreement and 0 for agreement no better than chance.</p>
      </section>

      <section aria-labelledby="bridging" className="space-y-2">
        <h2 id="bridging" className="text-lg font-semibold">
          Bridging check (advisory)
        </h2>
        <p className="text-sm text-muted">
          A matrix factorisation of the votes, in the style of Community Notes, looks for labels supported by only one
          side of an opinion divide. It never decides a label; moderators see it when they decide.
        </p>
        {bridging.oneSided.length === 0 ? (
          <p data-testid="bridging">No leading label here is carried by one opinion side only.</p>
        ) : (
          <ul className="list-disc pl-5" data-testid="bridging">
            {bridging.oneSided.map((f) => (
              <li key={f.datapointId}>
                <Link href={`/datapoints/${f.datapointId}`} className="text-accent underline">
                  {f.title}
                </Link>
                : its leading option is supported by {f.supporters} voters, {Math.round(f.supporterSideShare * 100)}% of
                them on one side.
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="changes" className="space-y-2">
        <h2 id="changes" className="text-lg font-semibold">
          Policy changes
        </h2>
        {batch.policyChanges.length === 0 ? (
          <p className="text-muted">The policy has not changed since the batch was created.</p>
        ) : (
          <ol className="space-y-2" data-testid="policy-changes">
            {batch.policyChanges.map((c) => (
              <li key={String(c.seq)} className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
                {formatDate(c.at)}: from {c.previousName} to <strong>{c.policyName}</strong> — “{c.reason}” (audit seq{" "}
                {String(c.seq)})
              </li>
            ))}
          </ol>
        )}
      </section>

      {admin && (
        <section aria-labelledby="change-policy" className="space-y-2 rounded-lg border border-gray-200 bg-white p-4">
          <h2 id="change-policy" className="text-lg font-semibold">
            Change the voting policy
          </h2>
          <p className="text-sm text-muted">
            The change, with your reason, is recorded in the audit log and listed above.
          </p>
          <ActionForm action={changeBatchPolicyAction} testId="policy" className="space-y-2">
            <input type="hidden" name="batchId" value={batch.id} />
            <label htmlFor="policyHash" className="block font-medium">
              Policy
            </label>
            <select
              id="policyHash"
              name="policyHash"
              defaultValue={batch.policy.contentHash}
              className="rounded border border-gray-300 p-2"
            >
              {choices.map((p) => (
                <option key={p.contentHash} value={p.contentHash}>
                  {p.name} v{p.version}
                </option>
              ))}
            </select>
            <label htmlFor="reason" className="block font-medium">
              Reason
            </label>
            <textarea id="reason" name="reason" rows={2} className="w-full rounded border border-gray-300 p-2" />
            <button type="submit" className="rounded bg-accent px-4 py-2 text-white">
              Change policy
            </button>
          </ActionForm>
        </section>
      )}
    </div>
  );
}
