import { readFile } from "node:fs/promises";
import path from "node:path";
import { db, reads } from "@/lib/db";
import { specificationOf, type Specification } from "@/lib/tally/specification";
import { policyDocumentSchema } from "./schema";
import { SHA256_HEX } from "@/lib/domain/schema";

export type PolicySummary = {
  id: string;
  name: string;
  version: number;
  kind: string;
  contentHash: string;
  publishedAt: Date;
  description: string;
  batchCount: number;
};

function describe(document: string): string {
  const parsed = JSON.parse(document) as { description?: unknown };
  return typeof parsed.description === "string" ? parsed.description : "";
}

export async function listPolicies(): Promise<PolicySummary[]> {
  const rows = await reads.page((db) =>
    db.votingPolicy.findMany({
      orderBy: [{ name: "asc" }, { version: "desc" }],
      select: {
        id: true,
        name: true,
        version: true,
        kind: true,
        contentHash: true,
        publishedAt: true,
        document: true,
        _count: { select: { batches: true } },
      },
    }),
  );
  return rows.map(({ document, _count, ...p }) => ({
    ...p,
    description: describe(document),
    batchCount: _count.batches,
  }));
}

/** A policy by its content hash, with its exact canonical document text and the specification it is computed under. */
export async function getPolicyByHash(contentHash: string) {
  if (!SHA256_HEX.test(contentHash)) return null;
  const policy = await reads.page((db) =>
    db.votingPolicy.findUnique({
      where: { contentHash },
      include: { batches: { select: { slug: true, title: true }, orderBy: { slug: "asc" } } },
    }),
  );
  if (!policy) return null;
  const document = policyDocumentSchema.parse(JSON.parse(policy.document));
  const specification: Specification = specificationOf(document);
  return {
    ...policy,
    description: document.description,
    specification,
    namesSpecification: document.specification !== undefined,
  };
}

// Beside the engine it specifies, so that a change to either is reviewed with the other.
const SPECIFICATION_FILE = path.join(process.cwd(), "lib/tally/SPEC.md");

/** The published tally specification (every edition), as markdown. */
export async function tallySpecification(): Promise<string> {
  return readFile(SPECIFICATION_FILE, "utf8");
}

/** For the admin's policy form: from the primary, as every form an admin acts on. */
export async function listPolicyChoices() {
  return db.votingPolicy.findMany({
    orderBy: [{ name: "asc" }, { version: "desc" }],
    select: { contentHash: true, name: true, version: true },
  });
}
