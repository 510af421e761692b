import { db } from "@/lib/db";
import type { DatapointStatus } from "@/lib/generated/prisma/enums";
import { z } from "zod";
import { responseSchema } from "./schema";

const VISIBLE: DatapointStatus[] = ["OPEN", "CLOSED", "FINALIZED", "REOPENED"];

/** Batches open for voting now, with how many datapoints each holds. */
export async function listOpenBatches(now = new Date()) {
  const batches = await db.batch.findMany({
    where: { opensAt: { lte: now }, closesAt: { gt: now } },
    orderBy: [{ closesAt: "asc" }, { slug: "asc" }],
    select: {
      id: true,
      slug: true,
      title: true,
      description: true,
      closesAt: true,
      policy: { select: { name: true, version: true } },
      _count: { select: { datapoints: { where: { status: { in: VISIBLE } } } } },
    },
  });
  return batches.map(({ _count, ...batch }) => ({ ...batch, datapointCount: _count.datapoints }));
}

/** Published datapoints (newest first), optionally within one batch. */
export async function listDatapoints(options: { batchSlug?: string; take?: number } = {}) {
  return db.datapoint.findMany({
    where: { status: { in: VISIBLE }, ...(options.batchSlug ? { batch: { slug: options.batchSlug } } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.take ?? 100,
    select: {
      id: true,
      title: true,
      kind: true,
      category: true,
      status: true,
      proposedLabel: true,
      batch: { select: { slug: true, title: true, closesAt: true } },
    },
  });
}

const responsesSchema = z.array(responseSchema);

export async function getDatapoint(id: string) {
  if (!z.uuid().safeParse(id).success) return null;
  const row = await db.datapoint.findFirst({
    where: { id, status: { in: VISIBLE } },
    include: { batch: { include: { policy: { select: { name: true, version: true, contentHash: true } } } } },
  });
  if (!row) return null;
  return { ...row, responses: responsesSchema.parse(row.responses) };
}

export type DatapointView = NonNullable<Awaited<ReturnType<typeof getDatapoint>>>;
