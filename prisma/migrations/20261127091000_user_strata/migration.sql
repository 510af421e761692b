-- AlterTable
ALTER TABLE "users" DROP COLUMN "stratum",
ADD COLUMN     "strata" JSONB;
