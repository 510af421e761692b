-- CreateIndex
CREATE INDEX "comments_author_id_created_at_idx" ON "comments"("author_id", "created_at");

-- CreateIndex
CREATE INDEX "vote_history_user_id_created_at_idx" ON "vote_history"("user_id", "created_at");
