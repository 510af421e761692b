-- plenary_cast_votes: the live definition, as migration 20261127180000_cast_votes_batch applies it.
-- To change it: edit this file and add a migration with the new text (CREATE OR REPLACE,
-- or DROP and CREATE when its parameters change); lib/database/functions.test.ts holds
-- the two together.
CREATE FUNCTION plenary_cast_votes(
  p_lock_key text[], p_key text[], p_datapoint uuid[], p_user uuid[], p_since timestamptz[], p_max int[],
  p_status text[], p_opens_at timestamptz[], p_closes_at timestamptz[], p_rationale_required boolean[], p_tally_visibility text[],
  p_existing_id uuid[], p_existing_option text[],
  p_type text[], p_body text[], p_leaf bytea[], p_vote_id uuid[], p_option text[], p_rationale text[], p_shown jsonb[], p_at timestamptz[],
  p_history_id uuid[],
  p_session text[], p_session_renew_before timestamptz[], p_session_renew_to timestamptz[]
) RETURNS TABLE (
  ord bigint, outcome text, replay_user uuid, replay_datapoint uuid, existing_id uuid, existing_option text, recent timestamptz[]
) LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(k.id) FROM (SELECT DISTINCT hashtextextended(x, 0) AS id FROM unnest(p_lock_key) x) k ORDER BY k.id;
  PERFORM 1 FROM datapoints d WHERE d.id = ANY (p_datapoint) ORDER BY d.id FOR KEY SHARE OF d;
  RETURN QUERY
    SELECT a.ord, r.outcome, r.replay_user, r.replay_datapoint, r.existing_id, r.existing_option, r.recent
      FROM unnest(p_lock_key, p_key, p_datapoint, p_user, p_since, p_max, p_status, p_opens_at, p_closes_at,
                  p_rationale_required, p_tally_visibility, p_existing_id, p_existing_option, p_type, p_body, p_leaf,
                  p_vote_id, p_option, p_rationale, p_shown, p_at, p_history_id, p_session, p_session_renew_before,
                  p_session_renew_to)
             WITH ORDINALITY AS a(lock_key, key, datapoint, user_id, since, max, status, opens_at, closes_at,
                                  rationale_required, tally_visibility, existing_id, existing_option, type, body, leaf,
                                  vote_id, option, rationale, shown, at, history_id, session, session_renew_before,
                                  session_renew_to, ord)
     CROSS JOIN LATERAL plenary_cast_vote(a.lock_key, a.key, a.datapoint, a.user_id, a.since, a.max, a.status, a.opens_at,
                  a.closes_at, a.rationale_required, a.tally_visibility, a.existing_id, a.existing_option, a.type, a.body,
                  a.leaf, a.vote_id, a.option, a.rationale, a.shown, a.at, a.history_id, a.session,
                  a.session_renew_before, a.session_renew_to) r
     ORDER BY a.ord;
END;
$$;
