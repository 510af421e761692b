-- AlterTable
ALTER TABLE "checkpoints" ADD COLUMN     "note" TEXT NOT NULL;

-- CreateTable
CREATE TABLE "merkle_blocks" (
    "block" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "merkle_blocks_pkey" PRIMARY KEY ("block")
);
