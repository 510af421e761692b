// Recognising PostgreSQL outcomes that services handle as expected cases.
import { Prisma } from "@/lib/generated/prisma/client";

/** A unique-constraint violation (P2002) involving `field` (Prisma or column name). */
export function isUniqueViolation(error: unknown, field: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") return false;
  // Through driver adapters the constraint's fields sit in meta.driverAdapterError; match
  // on the serialised metadata and message rather than one version's exact shape.
  const detail = `${JSON.stringify(error.meta ?? {})} ${error.message}`;
  return detail.includes(field);
}
