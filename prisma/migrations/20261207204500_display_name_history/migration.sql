-- Hand-written, in its own folder: a CHECK constraint schema.prisma cannot state, and the name
-- history of the accounts that existed before it was kept.

-- A skeleton stands only for a live account's name: deletion clears both, which frees the name.
ALTER TABLE "users" ADD CONSTRAINT "users_name_skeleton_live"
  CHECK ("name_skeleton" IS NULL OR ("name" IS NOT NULL AND "deleted_at" IS NULL));

-- Each live account's current name, from the last user.renamed event about it (the one whose
-- hash it is), else from its user.created event (a name given at creation: the demo seed).
-- Events before that show the pseudonym: earlier names are gone, the log holds only their
-- hashes. Bodies are matched as canonical text, never cast to jsonb (a body jsonb cannot hold
-- must not fail the migration; see …_audit_events_actor_index). The skeletons are computed
-- and checked by the start-up check in JavaScript (lib/users/names/mutations.ts).
WITH events AS (
  SELECT substring("body" FROM '"userId":"([0-9a-f-]{36})"') AS user_id, "type", "seq", "recorded_at"
    FROM "audit_events"
   WHERE "type" IN ('user.created', 'user.renamed')
), renamed AS (
  SELECT DISTINCT ON (user_id) user_id, "seq", "recorded_at" FROM events WHERE "type" = 'user.renamed' ORDER BY user_id, "seq" DESC
), created AS (
  SELECT DISTINCT ON (user_id) user_id, "seq", "recorded_at" FROM events WHERE "type" = 'user.created' ORDER BY user_id, "seq"
)
INSERT INTO "user_names" ("user_id", "seq", "at", "name")
SELECT u."id", coalesce(r."seq", c."seq", 0), coalesce(r."recorded_at", c."recorded_at", u."created_at"), u."name"
  FROM "users" u
  LEFT JOIN renamed r ON r.user_id = u."id"::text
  LEFT JOIN created c ON c.user_id = u."id"::text
 WHERE u."name" IS NOT NULL AND u."deleted_at" IS NULL;
