// What to do when the verifier does not say VERIFIED: rule out your copy and your key first.
const code = "rounded bg-gray-100 px-1 py-0.5 font-mono text-xs";

export function NotVerified() {
  return (
    <ol className="max-w-3xl list-decimal space-y-2 pl-5">
      <li>
        Read the lines above the verdict: each names the event (by seq) or the file, the check that failed, and what
        differed.
      </li>
      <li>
        Rule out your copy. A download cut short, or a file rewritten by a tool (line endings, re-encoding), shows up as
        a file that does not match the manifest: download the release again, or verify the manifest&apos;s address
        directly, and run it again.
      </li>
      <li>
        Rule out the key. A signature that fails with <code className={code}>--key</code> means the release was not
        signed by the key you pinned: check that it is this site&apos;s current key (the fingerprint above), not an old
        or mistyped one.
      </li>
      <li>
        If a fresh download still fails against the right key, do not use the release. Keep its files and the
        verifier&apos;s output: the checkpoints are signed, so a release that contradicts its own signed checkpoints, or
        a log that does not extend an earlier signed cut, is evidence anyone can check again. Report it to the
        site&apos;s operators, and publicly.
      </li>
    </ol>
  );
}
