// Types shared by every data.ts / mutations.ts: the transaction client Prisma hands to
// interactive transactions.
export type { TransactionClient as Tx } from "@/lib/generated/prisma/internal/prismaNamespace";
