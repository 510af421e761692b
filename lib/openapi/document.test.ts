import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import packageJson from "@/package.json";
import { buildDocument, parametersOfOperation, trafficOf, type Parameter } from "./document";
import { OPERATIONS } from "./operations";

const root = path.resolve(import.meta.dirname, "../..");

/** Every route.ts under app/api (except sign-in) and app/.well-known, as OpenAPI paths. */
function routeFiles(): Map<string, string> {
  const routes = new Map<string, string>();
  for (const base of ["app/api", "app/.well-known"]) {
    for (const entry of readdirSync(path.join(root, base), { recursive: true, encoding: "utf8" })) {
      if (path.basename(entry) !== "route.ts") continue;
      const folder = `/${path
        .join(base, path.dirname(entry))
        .split(path.sep)
        .join("/")
        .replace(/^app\//, "")}`;
      if (folder === "/api/auth" || folder.startsWith("/api/auth/")) continue;
      routes.set(folder.replace(/\[([^\]]+)\]/g, "{$1}"), path.join(root, base, entry));
    }
  }
  return routes;
}

const HTTP_METHODS = /export\s+(?:async\s+)?(?:function|const)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/g;

describe("the OpenAPI document", () => {
  const document = buildDocument();
  type Get = { parameters?: Parameter[]; responses: Record<string, { content?: Record<string, unknown> }> };
  const get = (route: string) => document.paths[route]!.get as Get;

  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("names the app's version and a relative server", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.info.version).toBe(packageJson.version);
    expect(document.servers).toEqual([{ url: "/" }]);
  });

  it("has a path for every public route file, and a route file for every path", () => {
    const routes = routeFiles();
    expect(routes.size).toBeGreaterThan(10);
    expect(Object.keys(document.paths).sort()).toEqual([...routes.keys()].sort());
  });

  it("documents exactly the methods each route exports", () => {
    for (const [route, file] of routeFiles()) {
      const methods = [...readFileSync(file, "utf8").matchAll(HTTP_METHODS)].map((m) => m[1]!.toLowerCase());
      expect({ route, methods }).toEqual({ route, methods: Object.keys(document.paths[route] ?? {}) });
    }
  });

  it("resolves every $ref", () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const target = ref
        .split("/")
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
      expect(target, ref).toBeDefined();
    }
  });

  it("has unique operation ids", () => {
    const ids = OPERATIONS.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("takes query parameters from the routes' zod schemas, and describes each", () => {
    const inclusion = get("/api/log/proof/inclusion").parameters!;
    expect(inclusion.map((p) => [p.name, p.required])).toEqual([
      ["seq", true],
      ["treeSize", false],
    ]);
    expect(inclusion[0]!.schema).toMatchObject({ type: "string", pattern: "^[1-9][0-9]{0,15}$" });
    const status = get("/api/exports/dataset.jsonl").parameters!.find((p) => p.name === "status")!;
    expect(status.schema.enum).toContain("FINALIZED");
    for (const operation of OPERATIONS) {
      for (const parameter of parametersOfOperation(operation))
        expect(parameter.description, `${operation.path} ${parameter.name}`).toBeTruthy();
    }
  });

  it("has examples that the routes' own schemas accept", () => {
    for (const operation of OPERATIONS) {
      const url = new URL(operation.example, "http://plenary.test");
      const template = new RegExp(`^${operation.path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
      expect(url.pathname, operation.operationId).toMatch(template);
      if (operation.query)
        expect(operation.query.safeParse(Object.fromEntries(url.searchParams)).success, operation.example).toBe(true);
      if (operation.body)
        expect(operation.body.schema.safeParse(operation.body.example).success, operation.operationId).toBe(true);
      if (operation.pathParams) {
        const names = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
        const values = url.pathname.split("/").slice(-names.length);
        expect(operation.pathParams.safeParse(Object.fromEntries(names.map((n, i) => [n, values[i]]))).success).toBe(
          true,
        );
      }
    }
  });

  it("describes the media types each route sends, and problems as problem+json", () => {
    const content = (route: string) => Object.keys(get(route).responses["200"]!.content!);
    expect(content("/api/exports/dataset.parquet")).toEqual(["application/vnd.apache.parquet"]);
    expect(content("/api/exports/dataset.csv")).toEqual(["text/csv"]);
    expect(content("/api/exports/audit.jsonl")).toEqual(["application/jsonl"]);
    expect(content("/api/research/{slug}/{chart}")).toEqual(["text/csv", "image/svg+xml"]);
    expect(Object.keys(document.components.responses.TooManyRequests!.content)).toEqual(["application/problem+json"]);
  });

  it("marks rate limits and CORS as the proxy applies them", () => {
    expect(trafficOf("/api/health")).toEqual({ rateLimited: false, cors: false });
    expect(trafficOf("/api/research/{slug}/{chart}")).toEqual({ rateLimited: true, cors: true });
    expect(Object.keys(get("/api/health").responses)).toEqual(["200", "503"]);
    expect(get("/api/log/checkpoint").responses).toHaveProperty("429");
  });
});
