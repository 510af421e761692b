import { PROBLEMS, type JsonSchema, type Parameter } from "@/lib/openapi/document";
import { fieldsOf, schemaSummary, type Field } from "@/lib/openapi/summary";
import { essence, type ApiOperation, type ProblemStatus } from "@/lib/openapi/types";

type Props = {
  operation: ApiOperation;
  parameters: Parameter[];
  /** The request body's JSON Schema, when the operation takes one. */
  body: JsonSchema | null;
  problems: ProblemStatus[];
  schemas: Record<string, JsonSchema>;
  curl: string;
};

const code = "rounded bg-gray-100 px-1 py-0.5 font-mono text-xs";
const cell = "border-t border-gray-200 py-1.5 pr-4 align-top";

/** One endpoint of the public API: what it does, its parameters, its answers and a curl line. */
export function Endpoint({ operation, parameters, body, problems, schemas, curl }: Props) {
  const headingId = operation.operationId;
  const method = (operation.method ?? "get").toUpperCase();
  const names = [...new Set(operation.responses.flatMap((r) => r.content.map((body) => body.schema)))];
  const bodies = names
    .flatMap((name) => (schemas[name] ? [{ name, fields: fieldsOf(schemas[name]) }] : []))
    .filter((b) => b.fields.length > 0);
  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-gray-200 bg-white p-4">
      <h3 id={headingId} className="flex flex-wrap items-baseline gap-2 text-lg font-semibold">
        <span
          className={`rounded px-1.5 py-0.5 font-mono text-sm ${method === "GET" ? "bg-emerald-100 text-emerald-900" : "bg-amber-100 text-amber-950"}`}
        >
          {method}
        </span>{" "}
        <code className="break-all font-mono text-base">{operation.path}</code>
      </h3>
      <p className="font-medium">{operation.summary}</p>
      <p className="max-w-3xl text-sm text-muted">
        <Prose text={operation.description} />
      </p>
      {operation.session ? (
        <p className="text-sm">
          Needs a signed-in session: the site&apos;s session cookie, from the site&apos;s own origin.
        </p>
      ) : null}

      {parameters.length > 0 && (
        <div className="overflow-x-auto" tabIndex={0}>
          <table className="w-full text-left text-sm">
            <caption className="mb-1 text-left font-medium">Parameters</caption>
            <thead>
              <tr className="text-muted">
                <th scope="col" className="pr-4 font-normal">
                  Name
                </th>
                <th scope="col" className="pr-4 font-normal">
                  In
                </th>
                <th scope="col" className="pr-4 font-normal">
                  Value
                </th>
                <th scope="col" className="pr-4 font-normal">
                  Meaning
                </th>
              </tr>
            </thead>
            <tbody>
              {parameters.map((p) => (
                <tr key={`${p.in}-${p.name}`}>
                  <th scope="row" className={`${cell} whitespace-nowrap text-left font-normal`}>
                    <code className={code}>{p.name}</code>
                    {p.required ? <span className="ml-1 text-xs font-medium">required</span> : null}
                  </th>
                  <td className={cell}>{p.in}</td>
                  <td className={`${cell} break-all font-mono text-xs`}>{schemaSummary(p.schema)}</td>
                  <td className={cell}>
                    <Prose text={p.description ?? ""} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {body && operation.body ? (
        <div className="text-sm">
          <p className="font-medium">
            Request body <code className={code}>application/json</code>
          </p>
          <p className="text-muted">
            <Prose text={operation.body.description} />
          </p>
          <FieldList fields={fieldsOf(body)} />
        </div>
      ) : null}

      <div className="text-sm">
        <p className="font-medium">Responses</p>
        <ul className="mt-1 list-disc space-y-1 pl-5">
          {operation.responses.map((r) => (
            <li key={r.status}>
              <span className="font-mono">{r.status}</span> <Prose text={r.description} />{" "}
              {r.content.map((body) => (
                <code key={body.mediaType} className={`${code} mr-1`}>
                  {essence(body.mediaType)}
                  {body.schema in schemas ? ` (${body.schema})` : ""}
                </code>
              ))}
              {r.headers?.length ? <span className="text-muted"> Headers: {r.headers.join(", ")}.</span> : null}
            </li>
          ))}
          {problems.map((status) => (
            <li key={status}>
              <span className="font-mono">{status}</span> <code className={code}>application/problem+json</code>{" "}
              <Prose text={PROBLEMS[status].description} />
            </li>
          ))}
        </ul>
      </div>

      {bodies.map(({ name, fields }) => (
        <details key={name} className="text-sm">
          <summary className="cursor-pointer text-accent underline">Fields of {name}</summary>
          <FieldList fields={fields} />
        </details>
      ))}

      <div className="text-sm">
        <p className="font-medium">Example</p>
        <pre className="mt-1 overflow-x-auto rounded bg-gray-900 p-3 text-xs text-gray-100" tabIndex={0}>
          <code>{curl}</code>
        </pre>
      </div>
    </section>
  );
}

function FieldList({ fields }: { fields: Field[] }) {
  return (
    <ul className="mt-2 space-y-1 pl-1">
      {fields.map((f) => (
        <li key={f.name}>
          <code className={code}>{f.name}</code>{" "}
          <span className="break-all font-mono text-xs text-muted">
            {f.type}
            {f.required ? "" : ", optional"}
          </span>
          {f.description ? (
            <>
              {" "}
              — <Prose text={f.description} />
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** The catalogue's words mark code with backticks, as Markdown in the OpenAPI document does. */
export function Prose({ text }: { text: string }) {
  return text.split("`").map((part, i) =>
    i % 2 === 1 ? (
      <code key={i} className={code}>
        {part}
      </code>
    ) : (
      part
    ),
  );
}
