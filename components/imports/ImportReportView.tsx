// The report of one import: what was created, or the lines at fault and why.
import Link from "next/link";
import { moreErrors, type ImportReport } from "@/lib/imports/rules";

export function ImportReportView({ report }: { report: ImportReport }) {
  if (report.summary) {
    const s = report.summary;
    return (
      <section
        aria-labelledby="import-summary"
        data-testid="import-summary"
        className="rounded-lg border border-green-300 bg-green-50 p-4 text-sm"
      >
        <h2 id="import-summary" className="font-semibold">
          Imported
        </h2>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
          <dt>Batches</dt>
          <dd>
            {s.batches.map((slug, i) => (
              <span key={slug}>
                {i > 0 && ", "}
                <Link href={`/datapoints?batch=${encodeURIComponent(slug)}`} className="underline">
                  {slug}
                </Link>
              </span>
            ))}
            {` (${s.batchesCreated} new, ${s.batchesUnchanged} already there)`}
          </dd>
          <dt>Datapoints</dt>
          <dd>{`${s.datapointsCreated} new, ${s.datapointsUnchanged} already there unchanged`}</dd>
          <dt>File SHA-256</dt>
          <dd className="font-mono text-xs break-all">{report.fileHash}</dd>
        </dl>
      </section>
    );
  }
  if (report.errors.length === 0) return null;
  const more = moreErrors(report);
  return (
    <section aria-labelledby="import-problems" data-testid="import-problems" className="space-y-2">
      <h2 id="import-problems" className="font-semibold">
        Problems by line
      </h2>
      <table className="w-full border-collapse bg-white text-sm">
        <caption className="sr-only">Lines of the file that could not be imported, and why</caption>
        <thead>
          <tr className="border-b text-left">
            <th scope="col" className="p-2">
              Line
            </th>
            <th scope="col" className="p-2">
              Problem
            </th>
          </tr>
        </thead>
        <tbody>
          {report.errors.map((e, i) => (
            <tr key={`${e.line}-${i}`} className="border-b align-top" data-testid={`import-line-${e.line}`}>
              <td className="p-2 tabular-nums">{e.line}</td>
              <td className="p-2 break-words">{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && <p className="text-sm text-muted">{more}</p>}
    </section>
  );
}
