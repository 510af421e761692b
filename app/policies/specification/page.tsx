import type { Metadata } from "next";
import Link from "next/link";
import { SpecificationText } from "@/components/policies/SpecificationText";
import { tallySpecification } from "@/lib/voting-policies/data";

export const metadata: Metadata = { title: "Tally specification" };

export default async function SpecificationPage() {
  const source = await tallySpecification();
  return (
    <div className="space-y-4">
      <p className="max-w-3xl text-sm text-muted">
        Every{" "}
        <Link href="/policies" className="text-accent underline">
          voting policy
        </Link>{" "}
        names the edition of this specification it is computed under. The policy document holds the parameters, this
        text the algorithms: with the two, anyone can recompute a tally from the audit log and compare it byte for byte.
        The same text is <code className="rounded bg-gray-100 px-1 py-0.5 font-mono text-xs">lib/tally/SPEC.md</code> in
        the source, beside the engine it specifies.
      </p>
      <SpecificationText source={source} />
    </div>
  );
}
