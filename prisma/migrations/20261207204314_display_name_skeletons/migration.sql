-- AlterTable
ALTER TABLE "users" ADD COLUMN     "name_skeleton" TEXT;

-- CreateTable
CREATE TABLE "user_names" (
    "user_id" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "name" TEXT,

    CONSTRAINT "user_names_pkey" PRIMARY KEY ("user_id","seq")
);

-- CreateIndex
CREATE INDEX "user_names_user_id_at_idx" ON "user_names"("user_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "users_name_skeleton_key" ON "users"("name_skeleton");

-- AddForeignKey
ALTER TABLE "user_names" ADD CONSTRAINT "user_names_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
