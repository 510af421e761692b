// The live text of every SQL function is a file in prisma/functions/, and the latest migration
// that defines the function applies exactly that text: reading the file is reading what runs.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const migrations = path.join(root, "prisma/migrations");
const functions = path.join(root, "prisma/functions");

/** Each function's latest definition in the migrations, and the migration it is in. */
function latestDefinitions(): Map<string, { migration: string; text: string }> {
  const latest = new Map<string, { migration: string; text: string }>();
  const folders = readdirSync(migrations, { withFileTypes: true }).filter((d) => d.isDirectory());
  for (const folder of folders.map((d) => d.name).sort()) {
    const sql = readFileSync(path.join(migrations, folder, "migration.sql"), "utf8");
    for (const match of sql.matchAll(/CREATE (?:OR REPLACE )?FUNCTION (\w+)\(.*?\$\$;/gs)) {
      latest.set(match[1]!, { migration: folder, text: match[0] });
    }
    for (const match of sql.matchAll(
      /DROP FUNCTION (?:IF EXISTS )?(\w+)\b[^;]*;(?![\s\S]*CREATE (?:OR REPLACE )?FUNCTION \1\()/g,
    )) {
      latest.delete(match[1]!);
    }
  }
  return latest;
}

describe("the SQL functions", () => {
  const latest = latestDefinitions();
  const files = readdirSync(functions).filter((f) => f.endsWith(".sql"));

  it("have one file each, and no file without its function", () => {
    expect(files.map((f) => f.replace(/\.sql$/, "")).sort()).toEqual([...latest.keys()].sort());
  });

  it.each(files)("%s is what its latest migration applies, and names that migration", (file) => {
    const name = file.replace(/\.sql$/, "");
    const { migration, text } = latest.get(name)!;
    const content = readFileSync(path.join(functions, file), "utf8");
    expect(content.split("\n")[0]).toBe(`-- ${name}: the live definition, as migration ${migration} applies it.`);
    const definition = content.slice(content.search(/^CREATE /m)).trimEnd();
    expect(definition).toBe(text);
  });
});
