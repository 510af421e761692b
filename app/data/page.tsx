import type { Metadata } from "next";
import Link from "next/link";
import { DATASET_COLUMNS } from "@/lib/exports/columns";
import { downloadsOverview } from "@/lib/exports/data";
import { filterParams, parseFilterForm, type ExportFilters } from "@/lib/exports/schema";
import { DownloadFilters } from "@/components/exports/DownloadFilters";
import { DownloadList, type Download } from "@/components/exports/DownloadList";
import { formatDate } from "@/lib/domain/time";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Downloads" };

type SearchParams = Record<string, string | string[] | undefined>;

const code = "rounded bg-gray-100 px-1 py-0.5 font-mono text-xs";

export default async function DataPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { filters, problems } = parseFilterForm(await searchParams);
  const { batches, head, checkpoint } = await downloadsOverview();
  const query = String(filterParams(filters));
  const href = (name: string) => `/api/exports/${name}${query ? `?${query}` : ""}`;
  return (
    <div className="space-y-8">
      <section className="space-y-3">
        <h1 className="text-2xl font-bold">Downloads</h1>
        <p className="max-w-3xl text-muted">
          Everything Plenary decided is public: the labelled dataset, how each label was decided, every vote under a
          pseudonymous rater id, and the audit log that lets you check it all. Raters appear only by a stable random id
          and their public pseudonym, never by email or name. Files stream, so they can be as large as the site.
        </p>
      </section>

      <section aria-labelledby="choose" className="space-y-3">
        <h2 id="choose" className="text-xl font-semibold">
          Choose datapoints
        </h2>
        <p className="max-w-3xl text-sm text-muted">
          The filters choose datapoints; every table below then covers the same ones. The audit log and checkpoints are
          always whole, because a log can only be checked from its first event.
        </p>
        <DownloadFilters filters={filters} batches={batches} />
        {problems.length > 0 && (
          <div role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
            <p className="font-medium">Some filters could not be used and are left out of the links:</p>
            <ul className="mt-1 list-disc space-y-1 pl-5">
              {problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </div>
        )}
        <p className="text-sm">
          <span className="font-medium">The links below hold:</span> {describe(filters)}.
        </p>
      </section>

      <section aria-labelledby="dataset" className="space-y-3">
        <h2 id="dataset" className="text-xl font-semibold">
          The dataset
        </h2>
        <DownloadList label="Dataset files" items={datasetDownloads(href)} />
        <details className="rounded-lg border border-gray-200 bg-white p-4">
          <summary className="cursor-pointer font-medium">Columns of the dataset table</summary>
          <div className="mt-3 overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Columns of dataset.jsonl, dataset.csv and dataset.parquet</caption>
              <thead>
                <tr className="border-b border-gray-200">
                  <th scope="col" className="py-1 pr-4">
                    Column
                  </th>
                  <th scope="col" className="py-1 pr-4">
                    Type
                  </th>
                  <th scope="col" className="py-1">
                    Meaning
                  </th>
                </tr>
              </thead>
              <tbody>
                {DATASET_COLUMNS.map((c) => (
                  <tr key={c.name} className="border-b border-gray-100 align-top">
                    <th scope="row" className="py-1 pr-4 font-mono text-xs font-normal">
                      {c.name}
                    </th>
                    <td className="py-1 pr-4 text-xs">
                      {c.type.toLowerCase()}
                      {c.nullable ? ", may be empty" : ""}
                    </td>
                    <td className="py-1">{c.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </section>

      <section aria-labelledby="decided" className="space-y-3">
        <h2 id="decided" className="text-xl font-semibold">
          How each label was decided
        </h2>
        <DownloadList label="Decision files" items={decisionDownloads(href)} />
      </section>

      <section aria-labelledby="log" className="space-y-3">
        <h2 id="log" className="text-xl font-semibold">
          The audit log
        </h2>
        <p className="text-sm text-muted">
          The log holds {head.toLocaleString("en-US")} events.{" "}
          {checkpoint
            ? `The latest signed checkpoint covers the first ${checkpoint.treeSize.toLocaleString("en-US")}, signed ${formatDate(checkpoint.timestamp)}.`
            : "No checkpoint has been signed yet."}
        </p>
        <DownloadList label="Audit log files" items={LOG_DOWNLOADS} />
      </section>

      <section aria-labelledby="release" className="space-y-3 rounded-lg border border-gray-200 bg-white p-5">
        <h2 id="release" className="text-xl font-semibold">
          Download a release
        </h2>
        <p className="max-w-3xl text-sm">
          A release is every file above for these filters, cut at the latest signed checkpoint: the audit trail stops at
          the checkpoint&apos;s tree size, and every table describes the log at that point, so an offline verifier can
          recompute each label from the files alone. Its manifest lists each file with its address, SHA-256, bytes and
          rows, the checkpoint and the voting policies used.
        </p>
        <p>
          <a href={href("manifest")} className="font-medium text-accent underline-offset-2 hover:underline">
            Release manifest (JSON)
          </a>{" "}
          <span className="text-sm text-muted">
            — computing it reads every file once, so it takes as long as downloading the release. Fetch each file from
            the manifest&apos;s <code className={code}>path</code> and check its <code className={code}>sha256</code>.
          </span>
        </p>
        <p className="text-sm">
          On the server, <code className={code}>npm run export -- ./release</code> writes the same files and{" "}
          <code className={code}>manifest.json</code> into a directory (<code className={code}>--help</code> lists the
          filters).
        </p>
        <p className="text-sm">
          <Link
            href={`/verify${query ? `?${query}` : ""}`}
            className="font-medium text-accent underline-offset-2 hover:underline"
          >
            Verify a release
          </Link>{" "}
          — the command, the signing key&apos;s fingerprint to compare, and what each check means.
        </p>
      </section>

      <section aria-labelledby="api" className="space-y-2">
        <h2 id="api" className="text-xl font-semibold">
          Large downloads and resuming
        </h2>
        <ul className="max-w-3xl list-disc space-y-1 pl-5 text-sm text-muted">
          <li>
            Every address also works from scripts (CORS is open). Tables describe the log at one seq, given in the{" "}
            <code className={code}>X-As-Of-Seq</code> header; pass <code className={code}>asOfSeq=</code> to get exactly
            the same file later.
          </li>
          <li>
            Tables take <code className={code}>limit=</code>; when rows remain,{" "}
            <code className={code}>X-Next-Cursor</code> and a <code className={code}>Link: rel=&quot;next&quot;</code>{" "}
            header give the address that continues with <code className={code}>cursor=</code>, in the same snapshot.
          </li>
          <li>
            The audit trail resumes by seq: <code className={code}>audit.jsonl?fromSeq=1001&amp;toSeq=2000</code>;
            checkpoints by <code className={code}>fromTreeSize</code> and <code className={code}>toTreeSize</code>.
          </li>
          <li>
            A download cut short ends without its final newline (JSONL, CSV) or without its footer (Parquet): start that
            part again.
          </li>
        </ul>
      </section>
    </div>
  );
}

function describe(filters: ExportFilters): string {
  const parts = [
    {
      FINALIZED: "final labels",
      any: "every published datapoint",
      CLOSED: "closed datapoints awaiting a decision",
      OPEN: "datapoints open for voting",
      REOPENED: "reopened datapoints",
    }[filters.status],
  ];
  if (filters.batch) parts.push(`in batch ${filters.batch}`);
  if (filters.minAgreement !== undefined) parts.push(`agreement at least ${filters.minAgreement}`);
  if (filters.minMargin !== undefined) parts.push(`margin at least ${filters.minMargin}`);
  if (filters.from) parts.push(`decided from ${filters.from}`);
  if (filters.to) parts.push(`decided until ${filters.to}`);
  return parts.join(", ");
}

function datasetDownloads(href: (name: string) => string): Download[] {
  return [
    {
      href: href("dataset.preference.jsonl"),
      title: "Preference pairs",
      format: "JSONL",
      description: (
        <>
          The RLHF/DPO shape: <code className={code}>prompt</code>, <code className={code}>chosen</code>,{" "}
          <code className={code}>rejected</code> and <code className={code}>metadata</code>. Pairwise labels A and B
          only; TIE and BOTH_BAD are not preferences and stay in the tables. A single turn is TRL&apos;s standard format
          (three strings). With earlier turns it is the conversational format: <code className={code}>prompt</code> is
          the list of messages <code className={code}>{`{"role","content"}`}</code>, the earlier turns then the prompt
          as the last user message, and <code className={code}>chosen</code> / <code className={code}>rejected</code>{" "}
          are one assistant message each. The context splits into turns at lines beginning{" "}
          <code className={code}>User: </code> or <code className={code}>Assistant: </code>; a context that does not
          start with one is one earlier user message; <code className={code}>metadata.context</code> keeps it as
          written. Rows of both formats can share a file: to load it with <code className={code}>datasets</code>, turn
          the string rows into one-message lists first.
        </>
      ),
    },
    {
      href: href("dataset.jsonl"),
      title: "Labels",
      format: "JSONL",
      description:
        "Every kind (pairwise, rating, classification), one datapoint a line, with its final label, tally figures and hashes.",
    },
    {
      href: href("dataset.csv"),
      title: "Labels",
      format: "CSV",
      description:
        "The same table, RFC 4180 with a header row; empty cells are empty values, JSON columns hold JSON text. A text cell that begins with =, +, -, @, a tab or a carriage return has a single quote (') put in front, so spreadsheets do not run it as a formula: strip it to get the original text.",
    },
    {
      href: href("dataset.parquet"),
      title: "Labels",
      format: "Parquet",
      description: "The same table for pandas, Polars, DuckDB or Spark, typed columns.",
    },
  ];
}

function decisionDownloads(href: (name: string) => string): Download[] {
  return [
    {
      href: href("decisions.jsonl"),
      title: "Decision records",
      format: "JSONL",
      description:
        "Each decision: label, status, override and reason, public rationale, moderators' ids, the exact tally text, and the seqs of its audit events.",
    },
    {
      href: href("votes.jsonl"),
      title: "Votes",
      format: "JSONL",
      description:
        "Each rater's latest vote on each datapoint: rater id, pseudonym, option, what they were shown, and their rationale's SHA-256.",
    },
    {
      href: href("policies.json"),
      title: "Voting policies",
      format: "JSON",
      description: "The policy documents the decisions used, by SHA-256, as the exact canonical JSON that was hashed.",
    },
  ];
}

const LOG_DOWNLOADS: Download[] = [
  {
    href: "/api/exports/audit.jsonl",
    title: "Audit trail",
    format: "JSONL",
    description: "Every event in order: seq, type, the stored canonical body byte for byte, leaf hash and chain hash.",
  },
  {
    href: "/api/exports/checkpoints.jsonl",
    title: "Signed checkpoints",
    format: "JSONL",
    description: "Each signed tree head: tree size, Merkle root, time, key id and the signed note.",
  },
  {
    href: "/api/exports/checkpoint-key.pem",
    title: "Checkpoint public key",
    format: "PEM",
    description:
      "The Ed25519 key that signs checkpoints; also at /.well-known/plenary-checkpoint-key with its C2SP verifier key.",
  },
];
