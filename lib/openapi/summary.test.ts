import { describe, expect, it } from "vitest";
import { componentSchemas } from "./document";
import { OPERATIONS } from "./operations";
import { curlCommand, fieldsOf, schemaSummary } from "./summary";

describe("schemaSummary", () => {
  it("puts a schema in a few words", () => {
    expect(schemaSummary({ type: "string", pattern: "^[1-9][0-9]{0,15}$" })).toBe("string matching ^[1-9][0-9]{0,15}$");
    expect(schemaSummary({ type: "string", enum: ["A", "B"] })).toBe("one of A, B");
    expect(schemaSummary({ type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER })).toBe("integer from 0");
    expect(schemaSummary({ type: "array", items: { $ref: "#/components/schemas/AuditEntry" } })).toBe(
      "array of AuditEntry",
    );
    expect(schemaSummary({ anyOf: [{ type: "boolean" }, { type: "null" }] })).toBe("boolean or null");
    expect(schemaSummary({})).toBe("any value");
  });
});

describe("fieldsOf", () => {
  it("lists a body's fields with their words", () => {
    const fields = fieldsOf(componentSchemas().Checkpoint!);
    expect(fields.map((f) => f.name)).toEqual(["origin", "treeSize", "rootHash", "timestamp", "keyId", "note"]);
    expect(fields.find((f) => f.name === "timestamp")).toMatchObject({ required: true, type: "string (date-time)" });
  });
});

describe("curlCommand", () => {
  it("saves downloads under the server's file name and prints JSON", () => {
    const byId = (id: string) => OPERATIONS.find((o) => o.operationId === id)!;
    expect(curlCommand(byId("getCheckpoint"), "https://plenary.example.org/")).toBe(
      "curl -sS 'https://plenary.example.org/api/log/checkpoint'",
    );
    expect(curlCommand(byId("downloadDatasetCsv"), "http://localhost:3000")).toMatch(
      /^curl -sSOJ 'http:\/\/localhost:3000\/api\/exports\/dataset\.csv\?/,
    );
    const vote = curlCommand(byId("castVote"), "http://localhost:3000");
    expect(vote).toContain(
      "-X POST -b 'next-auth.session-token=<your session>' -H 'Origin: http://localhost:3000' -H 'Content-Type: application/json' -d '{",
    );
    expect(vote).toMatch(/ 'http:\/\/localhost:3000\/api\/votes'$/);
  });
});
