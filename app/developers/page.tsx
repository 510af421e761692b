import type { Metadata } from "next";
import { apiRateLimits, env } from "@/lib/env";
import { openApiDocument, parametersOfOperation, problemsOf, requestBodyOf } from "@/lib/openapi/document";
import { OPERATIONS } from "@/lib/openapi/operations";
import { curlCommand } from "@/lib/openapi/summary";
import { TAGS, type Tag } from "@/lib/openapi/types";
import { Endpoint, Prose } from "./Endpoint";

// The curl lines name this deployment's public URL and the limits name its settings.
export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Public API" };

const code = "rounded bg-gray-100 px-1 py-0.5 font-mono text-xs";
const anchor = (tag: string) => `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;

export default function DevelopersPage() {
  const settings = env();
  const origin = settings.NEXTAUTH_URL ?? `http://localhost:${settings.PORT}`;
  const limits = apiRateLimits();
  const schemas = openApiDocument().components.schemas;
  const tags = Object.keys(TAGS) as Tag[];
  return (
    <div className="space-y-8">
      <section className="space-y-3">
        <h1 className="text-2xl font-bold">Public API</h1>
        <p className="max-w-3xl text-muted">
          Everything Plenary publishes can be read by programs too: the signed audit log and its proofs, every download
          of the dataset and of how each label was decided, and the research charts. Reading needs no account or key;
          casting a vote needs a signed-in session on this site.
        </p>
        <p className="max-w-3xl">
          The machine-readable description is the OpenAPI 3.1 document at{" "}
          <a href="/api/openapi.json" className="text-accent underline">
            /api/openapi.json
          </a>
          , generated from the same schemas the endpoints check their input with. This page is that document in words.
        </p>
        <ul className="max-w-3xl list-disc space-y-1 pl-5 text-sm">
          <li>
            <span className="font-medium">Any origin may read.</span> GET and HEAD answers of the read endpoints carry{" "}
            <code className={code}>Access-Control-Allow-Origin: *</code>; preflight requests are answered. Voting and
            sign-in stay same-origin.
          </li>
          <li>
            <span className="font-medium">Rate limits.</span>{" "}
            {limits
              ? `Each client address may send ${limits.burst} requests at once, refilled at ${limits.perMinute} a minute. `
              : "This server does not limit requests itself. "}
            Answers carry <code className={code}>RateLimit-Limit</code>,{" "}
            <code className={code}>RateLimit-Remaining</code> and <code className={code}>RateLimit-Reset</code>; a
            refusal is a 429 with <code className={code}>Retry-After</code>.
          </li>
          <li>
            <span className="font-medium">Errors</span> are RFC 9457{" "}
            <code className={code}>application/problem+json</code> with a one-sentence{" "}
            <code className={code}>detail</code>.
          </li>
        </ul>
      </section>

      <nav aria-label="Endpoints" className="text-sm">
        <ul className="space-y-2">
          {tags.map((tag) => (
            <li key={tag}>
              <a href={`#${anchor(tag)}`} className="font-medium text-accent underline">
                {tag}
              </a>
              <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1 pl-4">
                {OPERATIONS.filter((o) => o.tag === tag).map((o) => (
                  <li key={o.operationId}>
                    <a href={`#${o.operationId}`} className="font-mono text-xs text-accent underline">
                      {(o.method ?? "get").toUpperCase()} {o.path}
                    </a>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </nav>

      {tags.map((tag) => (
        <section key={tag} aria-labelledby={anchor(tag)} className="space-y-4">
          <h2 id={anchor(tag)} className="text-xl font-semibold">
            {tag}
          </h2>
          <p className="max-w-3xl text-sm text-muted">
            <Prose text={TAGS[tag]} />
          </p>
          {OPERATIONS.filter((o) => o.tag === tag).map((operation) => (
            <Endpoint
              key={operation.operationId}
              operation={operation}
              parameters={parametersOfOperation(operation)}
              body={requestBodyOf(operation)}
              problems={problemsOf(operation)}
              schemas={schemas}
              curl={curlCommand(operation, origin)}
            />
          ))}
        </section>
      ))}
    </div>
  );
}
