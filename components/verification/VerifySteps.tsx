// The step-by-step: download, get the verifier, run it with this site's key, compare.
import Link from "next/link";
import type { VerifyCommands } from "@/lib/verification/rules";
import { Command } from "./Command";

const code = "rounded bg-gray-100 px-1 py-0.5 font-mono text-xs";
const link = "font-medium text-accent underline-offset-2 hover:underline";

export function VerifySteps({
  commands,
  keyPublished,
  filtered,
}: {
  commands: VerifyCommands;
  keyPublished: boolean;
  filtered: boolean;
}) {
  return (
    <ol className="max-w-3xl space-y-6">
      <li className="space-y-2">
        <h3 className="text-lg font-semibold">1. Download a release</h3>
        <p>
          On{" "}
          <Link href="/data" className={link}>
            Downloads
          </Link>
          , choose the datapoints, then follow &ldquo;Download a release&rdquo;: save every file its manifest lists into
          one directory (below, <code className={code}>./release</code>) together with the manifest as{" "}
          <code className={code}>manifest.json</code>. Or skip this step and give the verifier the manifest&apos;s
          address; it fetches the files itself. On the server, <code className={code}>npm run export -- ./release</code>{" "}
          writes the same directory.
        </p>
      </li>
      <li className="space-y-2">
        <h3 className="text-lg font-semibold">2. Get the verifier</h3>
        <p>
          The verifier is part of Plenary&apos;s source code: in a copy of it, run{" "}
          <code className={code}>npm install</code> (Node 20.19 or later). It needs no database, and no network for a
          release on disk. Its code is <code className={code}>scripts/verify.ts</code> and{" "}
          <code className={code}>lib/verifier/</code>, with the same pure tally engine the site uses (
          <code className={code}>lib/tally/</code>): small enough to read before you trust it.
        </p>
      </li>
      <li className="space-y-2">
        <h3 className="text-lg font-semibold">3. Run it with this site&apos;s key pinned</h3>
        {!keyPublished && (
          <p className="text-sm text-amber-950">
            This site has no signing key yet: the commands show where its verifier key goes.
          </p>
        )}
        <p>For a release on disk:</p>
        <Command testId="verify-command">{commands.directory}</Command>
        <p>Straight from this site{filtered ? ", with the filters you chose on Downloads" : ""}:</p>
        <Command testId="verify-url-command">{commands.url}</Command>
        <p>
          <code className={code}>--key</code> takes the verifier key string (as above), a file holding it, or the PEM
          public key:
        </p>
        <Command>{`${commands.pemDownload}\n${commands.pem}`}</Command>
        <p>
          Without <code className={code}>--key</code>, the verifier trusts the key shipped inside the release and says
          so. A forged release can ship a forged key, so then it is up to you to compare the fingerprint it prints with
          the one on this page.
        </p>
      </li>
      <li className="space-y-2">
        <h3 className="text-lg font-semibold">4. Read the result and compare the fingerprint</h3>
        <p>
          Each problem found is one line, <code className={code}>seq N: CODE: detail</code> for an event or{" "}
          <code className={code}>&lt;file&gt;: CODE: detail</code> for a file, and the last line is{" "}
          <code className={code}>VERIFIED: …</code> or <code className={code}>NOT VERIFIED: N problems (…)</code>. The
          VERIFIED line names the log origin and key ID it trusted, the key&apos;s fingerprint, and whether the key was
          pinned with <code className={code}>--key</code> or shipped in the release.
        </p>
        <p>
          This page comes from the same server as the release, so on its own it vouches for nothing: compare the
          fingerprint with one you got another way too — the site&apos;s announcement, a paper that cites the dataset, a
          colleague&apos;s copy, or an earlier release you already checked (<code className={code}>--previous</code>{" "}
          below does that for you).
        </p>
      </li>
    </ol>
  );
}
