import { db } from "@/lib/db";

export async function databaseHealth(): Promise<{ ok: boolean; auditSeq?: string; message?: string }> {
  try {
    const head = await db.auditHead.findUnique({ where: { id: 1 }, select: { lastSeq: true } });
    return { ok: true, auditSeq: String(head?.lastSeq ?? 0n) };
  } catch {
    return { ok: false, message: "The database is unreachable; try again shortly." };
  }
}
