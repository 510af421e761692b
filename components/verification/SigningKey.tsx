// The log's signing key as a researcher compares it: the fingerprint first and large, then
// the exact strings the verifier takes.
import Link from "next/link";
import type { VerificationOverview } from "@/lib/verification/data";
import { formatDate } from "@/lib/domain/time";

const link = "font-medium text-accent underline-offset-2 hover:underline";

export function SigningKey({ overview: { key, head, checkpoint } }: { overview: VerificationOverview }) {
  return (
    <div className="space-y-4">
      {key.state === "published" ? (
        <>
          <dl className="rounded-lg border-2 border-accent bg-white p-5">
            <dt className="text-sm font-medium text-muted">Fingerprint (SHA-256 of the Ed25519 public key)</dt>
            <dd
              className="mt-2 font-mono text-xl leading-relaxed tracking-wide select-all sm:text-2xl"
              data-testid="key-fingerprint"
            >
              {key.fingerprint.split(":").map((group, i, groups) => (
                <span key={i}>
                  {group}
                  {i < groups.length - 1 && (
                    <>
                      :<wbr />
                    </>
                  )}
                </span>
              ))}
            </dd>
          </dl>
          <dl className="grid grid-cols-1 gap-x-4 gap-y-1 rounded-lg border border-gray-200 bg-white p-4 text-sm sm:grid-cols-[auto_1fr]">
            <dt className="text-muted">Log origin</dt>
            <dd className="font-mono" data-testid="key-origin">
              {key.origin}
            </dd>
            <dt className="text-muted">Key ID</dt>
            <dd className="font-mono" data-testid="key-id">
              {key.keyId}
            </dd>
            <dt className="text-muted">Verifier key</dt>
            <dd className="min-w-0">
              <code className="break-all font-mono text-xs select-all" data-testid="verifier-key">
                {key.verifierKey}
              </code>
            </dd>
            <dt className="text-muted">Published at</dt>
            <dd className="space-x-4">
              <a href="/api/exports/checkpoint-key.pem" className={link}>
                checkpoint-key.pem
              </a>
              <a href="/.well-known/plenary-checkpoint-key" className={link}>
                /.well-known/plenary-checkpoint-key
              </a>
            </dd>
          </dl>
        </>
      ) : (
        <div role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950">
          {key.state === "none"
            ? "This site has no checkpoint signing key yet, so nothing has been signed and there is no key to compare. The server creates its key when it first starts signing checkpoints; come back then."
            : "This site's checkpoint signing key cannot be read right now, so its fingerprint cannot be shown (/.well-known/plenary-checkpoint-key answers 503 too). The operators have to fix the key file before releases can be checked against it."}
        </div>
      )}
      <p className="text-sm">
        <span className="font-medium">Latest signed checkpoint:</span>{" "}
        {checkpoint ? (
          <>
            tree size{" "}
            <span className="font-mono" data-testid="checkpoint-tree-size">
              {checkpoint.treeSize.toLocaleString("en-US")}
            </span>{" "}
            (the first {checkpoint.treeSize.toLocaleString("en-US")} of the log&apos;s {head.toLocaleString("en-US")}{" "}
            events), signed {formatDate(checkpoint.timestamp)}. A release downloaded now is cut there.
          </>
        ) : (
          <>
            none yet, so there is no release to verify:{" "}
            <Link href="/data" className={link}>
              downloads
            </Link>{" "}
            of a release are refused until the log&apos;s first checkpoint is signed.
          </>
        )}
      </p>
      {checkpoint && key.state === "published" && checkpoint.keyId !== key.keyId && (
        <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
          The latest checkpoint was signed with key ID <span className="font-mono">{checkpoint.keyId}</span>, not with
          the key shown here (<span className="font-mono">{key.keyId}</span>): the site&apos;s key has changed since,
          and a release cut at that checkpoint will not verify with this key.
        </p>
      )}
    </div>
  );
}
