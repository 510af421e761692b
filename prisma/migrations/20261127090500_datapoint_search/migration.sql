-- AlterTable
ALTER TABLE "datapoints" ADD COLUMN     "search_vector" tsvector;

-- CreateIndex
CREATE INDEX "datapoints_search_vector_idx" ON "datapoints" USING GIN ("search_vector");
