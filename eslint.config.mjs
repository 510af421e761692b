import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const dbModules = ["@/lib/db", "**/lib/db", "@/lib/generated/*", "**/generated/prisma/*", "@prisma/*"];
const frameworkModules = ["next", "next/*", "react", "react-dom", ...dbModules];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    "lib/generated/**",
    ".data/**",
    ".data-test/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
  ]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // House rule: only a feature's data.ts / mutations.ts touch the database, and the few
  // infrastructure files named here (an allow-list: a new file is refused until it is added).
  {
    files: ["lib/**/*.ts", "lib/**/*.tsx"],
    ignores: [
      "lib/**/data.ts",
      "lib/**/mutations.ts",
      "lib/**/*.test.ts",
      "lib/**/fixtures.ts",
      "lib/**/*-fixtures.ts",
      "lib/testing/**",
      "lib/db.ts",
      "lib/database/**",
      // next-auth's Prisma adapter.
      "lib/auth/options.ts",
      // The export selection's SQL fragments (Prisma.sql), read by lib/exports/data.ts.
      "lib/exports/selection-sql.ts",
      // The large seed writes with COPY on its own connection.
      "lib/imports/seed/large.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: dbModules, message: "Only data.ts and mutations.ts may import the database." }] },
      ],
    },
  },
  // Pages and components render: they read, and never write while rendering (writes go
  // through a server action or a route).
  {
    files: ["app/**", "components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: dbModules, message: "Only data.ts and mutations.ts may import the database." },
            {
              group: ["@/lib/**/mutations"],
              message: "Pages and components never write while rendering: call a server action or a route.",
            },
          ],
        },
      ],
    },
  },
  // The pure core is re-run offline by researchers: no framework, no database, no I/O.
  {
    files: [
      "lib/tally/**",
      "lib/domain/**",
      "lib/audit/canonical.ts",
      "lib/audit/hash.ts",
      "lib/audit/events.ts",
      "lib/audit/verify.ts",
      "lib/audit/merkle.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: frameworkModules, message: "Pure code must run anywhere: no Next, React or Prisma." }] },
      ],
    },
  },
  // House rule: moments are written in one place (lib/domain/time.ts), always in UTC.
  {
    files: ["app/**", "components/**", "lib/**"],
    ignores: ["lib/domain/time.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='Intl'][property.name='DateTimeFormat']",
          message: "Format dates with lib/domain/time.ts.",
        },
        {
          selector: "CallExpression[callee.property.name=/^toLocale(Date|Time)String$/]",
          message: "Format dates with lib/domain/time.ts.",
        },
      ],
    },
  },
]);
