// What the verifier checks, and what its exit code means.
const code = "rounded bg-gray-100 px-1 py-0.5 font-mono text-xs";

const CHECKS: { title: string; detail: React.ReactNode }[] = [
  {
    title: "The manifest's signature",
    detail:
      "The manifest is signed with the log's key and covers every file's name, SHA-256, size in bytes and rows, the filters and the cut; every file is then checked against it.",
  },
  {
    title: "Cut at a signed checkpoint",
    detail:
      "The release is cut at a signed checkpoint, and the audit trail ends exactly there: nothing missing at its end, nothing unsigned after it.",
  },
  {
    title: "Hash chain and Merkle roots",
    detail:
      "Each event's leaf hash is recomputed from its canonical body and chained to the one before it, and the Merkle root is recomputed at every signed checkpoint's tree size and checked against that checkpoint's signature.",
  },
  {
    title: "Every derived file rebuilt from the log",
    detail: (
      <>
        <code className={code}>decisions.jsonl</code>, <code className={code}>votes.jsonl</code>,{" "}
        <code className={code}>policies.json</code>, <code className={code}>dataset.jsonl</code>,{" "}
        <code className={code}>.csv</code>, <code className={code}>.parquet</code> and{" "}
        <code className={code}>dataset.preference.jsonl</code> are rebuilt from the audit trail and compared row by row:
        no table can say what the log does not.
      </>
    ),
  },
  {
    title: "Datapoint content",
    detail: (
      <>
        Each datapoint&apos;s content hashes to the <code className={code}>contentHash</code> its{" "}
        <code className={code}>datapoint.published</code> event recorded: the prompt and responses are the ones that
        were voted on.
      </>
    ),
  },
  {
    title: "Every tally recomputed",
    detail:
      "Each decision's tally is recomputed from the votes and the policy document it names, and compared byte for byte with the recorded one.",
  },
];

export function VerifyChecks() {
  return (
    <dl className="max-w-3xl space-y-3">
      {CHECKS.map((check) => (
        <div key={check.title}>
          <dt className="font-medium">{check.title}</dt>
          <dd className="text-sm text-muted">{check.detail}</dd>
        </div>
      ))}
    </dl>
  );
}

const EXIT_CODES = [
  { code: "0", meaning: "Verified: every check above holds, against the key named in the VERIFIED line." },
  {
    code: "1",
    meaning:
      "A mismatch: the release does not match its log or its signatures. Each problem is listed, then NOT VERIFIED.",
  },
  {
    code: "2",
    meaning:
      "Unusable input: a missing or corrupt file or manifest, an unreachable URL or a bad --key. One line says why; nothing was verified.",
  },
];

export function ExitCodes() {
  return (
    <table className="w-full max-w-3xl text-left text-sm">
      <caption className="sr-only">Exit codes of npm run verify</caption>
      <thead>
        <tr className="border-b border-gray-200">
          <th scope="col" className="py-1 pr-4">
            Exit code
          </th>
          <th scope="col" className="py-1">
            Meaning
          </th>
        </tr>
      </thead>
      <tbody>
        {EXIT_CODES.map((row) => (
          <tr key={row.code} className="border-b border-gray-100 align-top">
            <th scope="row" className="py-1 pr-4 font-mono font-normal">
              {row.code}
            </th>
            <td className="py-1">{row.meaning}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
