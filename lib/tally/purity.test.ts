// ESLint keeps frameworks and the database out of lib/tally; this keeps out the rest of what
// would make a tally unrepeatable offline: clocks, unseeded randomness, I/O, environment.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const directory = import.meta.dirname;
const sources = readdirSync(directory).filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"));

const ALLOWED_IMPORTS = [
  /^\.\//,
  /^@\/lib\/audit\/(canonical|hash|events)$/,
  /^@\/lib\/domain\/schema$/,
  /^@\/lib\/voting-policies\/schema$/,
  /^zod$/,
  /^node:crypto$/,
];
const FORBIDDEN = [
  { pattern: /Date\.now\s*\(/, why: "reads the clock" },
  { pattern: /new Date\s*\(\s*\)/, why: "reads the clock" },
  { pattern: /performance\.now/, why: "reads the clock" },
  { pattern: /Math\.random/, why: "unseeded randomness" },
  { pattern: /process\.(env|argv|cwd)/, why: "depends on the environment" },
  { pattern: /\bfetch\s*\(/, why: "does I/O" },
  { pattern: /localeCompare|toLocale|Intl\./, why: "depends on the locale" },
];

describe("the tally engine is pure", () => {
  it.each(sources)("%s imports only pure modules and reads no clock, randomness, I/O or locale", (file) => {
    const text = readFileSync(path.join(directory, file), "utf8");
    const imports = [...text.matchAll(/^import[^"]*"([^"]+)";/gm)].map((match) => match[1]!);
    for (const specifier of imports)
      expect(
        ALLOWED_IMPORTS.some((allowed) => allowed.test(specifier)),
        `${file} imports ${specifier}`,
      ).toBe(true);
    for (const { pattern, why } of FORBIDDEN) expect(pattern.test(text), `${file} ${why}: ${pattern}`).toBe(false);
  });

  it("covers the engine's files", () => {
    expect(sources).toEqual(
      expect.arrayContaining(["tally.ts", "weights.ts", "outcome.ts", "resampling.ts", "agreement.ts", "bridging.ts"]),
    );
  });
});
