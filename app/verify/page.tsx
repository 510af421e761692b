import type { Metadata } from "next";
import { headers } from "next/headers";
import { Continuity } from "@/components/verification/Continuity";
import { NotVerified } from "@/components/verification/NotVerified";
import { SigningKey } from "@/components/verification/SigningKey";
import { ExitCodes, VerifyChecks } from "@/components/verification/VerifyChecks";
import { VerifySteps } from "@/components/verification/VerifySteps";
import { env } from "@/lib/env";
import { filterParams, parseFilterForm } from "@/lib/exports/schema";
import { verificationOverview } from "@/lib/verification/data";
import { siteOrigin, verifyCommands } from "@/lib/verification/rules";

// The key, the latest checkpoint and the commands (this site's address) are read per request.
export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Verify a release" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function VerifyPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  // The same filters as /data, so the manifest address in the commands is the release chosen there.
  const { filters } = parseFilterForm(await searchParams);
  const [overview, request] = await Promise.all([verificationOverview(), headers()]);
  const settings = env();
  const site = siteOrigin({
    configured: settings.NEXTAUTH_URL,
    host: request.get("host"),
    forwardedProto: request.get("x-forwarded-proto"),
    trustProxy: settings.PLENARY_TRUST_PROXY,
    port: settings.PORT,
  });
  const query = String(filterParams(filters));
  const { key } = overview;
  const published = key.state === "published";
  const commands = verifyCommands(site, published ? key.verifierKey : "<verifier key>", query);
  return (
    <div className="space-y-8">
      <section className="space-y-3">
        <h1 className="text-2xl font-bold">Verify a release</h1>
        <p className="max-w-3xl text-muted">
          You do not have to trust this site. A release of the dataset carries the audit log it came from and the
          log&apos;s signed checkpoints, and a verifier on your own machine recomputes every label from them and checks
          every signature against the log&apos;s key. This page gives that key&apos;s fingerprint to compare, and the
          steps.
        </p>
      </section>

      <section aria-labelledby="key" className="space-y-3">
        <h2 id="key" className="text-xl font-semibold">
          This log&apos;s signing key
        </h2>
        <SigningKey overview={overview} />
      </section>

      <section aria-labelledby="steps" className="space-y-3">
        <h2 id="steps" className="text-xl font-semibold">
          Step by step
        </h2>
        <VerifySteps commands={commands} keyPublished={published} filtered={query !== ""} />
      </section>

      <section aria-labelledby="checks" className="space-y-3">
        <h2 id="checks" className="text-xl font-semibold">
          What it checks
        </h2>
        <VerifyChecks />
      </section>

      <section aria-labelledby="exit-codes" className="space-y-3">
        <h2 id="exit-codes" className="text-xl font-semibold">
          Exit codes
        </h2>
        <ExitCodes />
      </section>

      <section aria-labelledby="continuity" className="space-y-3">
        <h2 id="continuity" className="text-xl font-semibold">
          Continuity with --previous
        </h2>
        <Continuity command={commands.previous} />
      </section>

      <section aria-labelledby="not-verified" className="space-y-3">
        <h2 id="not-verified" className="text-xl font-semibold">
          When it says NOT VERIFIED
        </h2>
        <NotVerified />
      </section>
    </div>
  );
}
