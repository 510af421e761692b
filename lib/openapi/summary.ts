// The OpenAPI document in words, for the /developers page: a JSON Schema as a short phrase,
// a body's fields as rows, a request as a curl line. Pure, so the page stays markup only.
import type { JsonSchema } from "./document";
import type { ApiOperation } from "./types";

const SAFE = Number.MAX_SAFE_INTEGER;

/** "string matching ^[1-9][0-9]{0,15}$", "one of A, B", "array of AuditEntry", "integer or null". */
export function schemaSummary(schema: JsonSchema): string {
  if (typeof schema.$ref === "string") return schema.$ref.slice(schema.$ref.lastIndexOf("/") + 1);
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map(String).join(", ")}`;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(alternatives)) return alternatives.map(schemaSummary).join(" or ");
  if (schema.type === "array") return `array of ${schemaSummary((schema.items as JsonSchema | undefined) ?? {})}`;
  if (
    schema.type === "object" &&
    schema.additionalProperties &&
    typeof schema.additionalProperties === "object" &&
    !schema.properties
  ) {
    const values = schemaSummary(schema.additionalProperties as JsonSchema);
    return values === "any value" ? "object" : `object of ${values}`;
  }
  if (typeof schema.type !== "string") return "any value";
  const parts = [schema.type === "null" ? "null" : schema.type];
  if (typeof schema.format === "string") parts.push(`(${schema.format})`);
  else if (typeof schema.pattern === "string") parts.push(`matching ${schema.pattern}`);
  if (typeof schema.maxLength === "number") parts.push(`of at most ${schema.maxLength} characters`);
  const min = typeof schema.minimum === "number" && schema.minimum > -SAFE ? schema.minimum : undefined;
  const max = typeof schema.maximum === "number" && schema.maximum < SAFE ? schema.maximum : undefined;
  if (min !== undefined && max !== undefined) parts.push(`from ${min} to ${max}`);
  else if (min !== undefined) parts.push(`from ${min}`);
  else if (max !== undefined) parts.push(`up to ${max}`);
  return parts.join(" ");
}

export type Field = { name: string; required: boolean; type: string; description: string };

/** The top-level fields of an object schema (nested objects are summarised, not expanded). */
export function fieldsOf(schema: JsonSchema): Field[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    required: required.has(name),
    type: property.type === "object" && property.properties ? "object" : schemaSummary(property),
    description: typeof property.description === "string" ? property.description : "",
  }));
}

/**
 * A curl line for the example request; downloads are saved under the name the server gives.
 * A session-bound request names the cookie and the Origin it must come from.
 */
export function curlCommand(operation: ApiOperation, origin: string): string {
  const base = origin.replace(/\/+$/, "");
  const url = `'${base}${operation.example}'`;
  if (operation.body) {
    const cookie = operation.session ? ` -b 'next-auth.session-token=<your session>' -H 'Origin: ${base}'` : "";
    return `curl -sS -X ${(operation.method ?? "get").toUpperCase()}${cookie} -H 'Content-Type: application/json' -d '${JSON.stringify(operation.body.example)}' ${url}`;
  }
  const saves = operation.responses.some((r) => r.headers?.includes("Content-Disposition"));
  return `curl -sS${saves ? "OJ" : ""} ${url}`;
}
