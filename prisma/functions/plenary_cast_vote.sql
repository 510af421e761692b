-- plenary_cast_vote: the live definition, as migration 20261127161500_vote_session_check applies it.
-- To change it: edit this file and add a migration with the new text (CREATE OR REPLACE,
-- or DROP and CREATE when its parameters change); lib/database/functions.test.ts holds
-- the two together.
CREATE FUNCTION plenary_cast_vote(
  p_lock_key text, p_key text, p_datapoint uuid, p_user uuid, p_since timestamptz, p_max int,
  p_status text, p_opens_at timestamptz, p_closes_at timestamptz, p_rationale_required boolean, p_tally_visibility text,
  p_existing_id uuid, p_existing_option text,
  p_type text, p_body text, p_leaf bytea, p_vote_id uuid, p_option text, p_rationale text, p_shown jsonb, p_at timestamptz,
  p_history_id uuid,
  p_session text, p_session_renew_before timestamptz, p_session_renew_to timestamptz,
  OUT outcome text, OUT replay_user uuid, OUT replay_datapoint uuid, OUT existing_id uuid, OUT existing_option text,
  OUT recent timestamptz[]
) LANGUAGE plpgsql AS $$
DECLARE
  target record;
  has_target boolean;
  queued bigint;
  session_expires timestamptz;
BEGIN
  -- The session the vote is made under, when the caller names one: still there, unexpired,
  -- the user's, and the user not deleted. Its expiry is pushed back when due, as reading the
  -- session does (lib/auth/data.ts). An expired session is left for that read to delete.
  IF p_session IS NOT NULL THEN
    SELECT s.expires INTO session_expires
      FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.session_token = p_session AND s.user_id = p_user AND u.deleted_at IS NULL;
    IF NOT FOUND OR session_expires <= p_at THEN
      outcome := 'signed_out';
      RETURN;
    END IF;
    IF session_expires <= p_session_renew_before THEN
      UPDATE sessions SET expires = p_session_renew_to WHERE session_token = p_session;
    END IF;
  END IF;
  -- The user's lock (the rate limit's, held to commit): the user's votes run one at a time
  -- from here, so a replayed submit is recognised before it touches the vote row and a burst
  -- cannot slip past the limit between one count and its insert. Every statement below takes
  -- a fresh snapshot, after the lock.
  PERFORM pg_advisory_xact_lock(hashtextextended(p_lock_key, 0));
  SELECT h.user_id, h.datapoint_id INTO replay_user, replay_datapoint FROM vote_history h WHERE h.idempotency_key = p_key;
  -- The datapoint, key-share locked until commit: a decision locks it for update and so waits
  -- for this vote to commit, its event queued, before it fixes the log position it counts to.
  SELECT d.status::text AS status, b.opens_at, b.closes_at, b.rationale_required, b.tally_visibility::text AS tally_visibility
    INTO target
    FROM datapoints d JOIN batches b ON b.id = d.batch_id
   WHERE d.id = p_datapoint AND d.status <> 'DRAFT'
     FOR KEY SHARE OF d;
  has_target := FOUND;
  -- The current vote, locked, so a change is always queued after the vote it changes.
  SELECT v.id, v.option INTO existing_id, existing_option FROM votes v WHERE v.datapoint_id = p_datapoint AND v.user_id = p_user FOR UPDATE;
  IF replay_user IS NOT NULL THEN
    outcome := 'replay';
    RETURN;
  END IF;
  IF NOT has_target OR target.status IS DISTINCT FROM p_status OR target.opens_at IS DISTINCT FROM p_opens_at
     OR target.closes_at IS DISTINCT FROM p_closes_at OR target.rationale_required IS DISTINCT FROM p_rationale_required
     OR target.tally_visibility IS DISTINCT FROM p_tally_visibility THEN
    outcome := 'stale';
    RETURN;
  END IF;
  -- The limit before the current vote: a vote over it is refused whatever it would change.
  recent := ARRAY(SELECT h.created_at FROM vote_history h WHERE h.user_id = p_user AND h.created_at > p_since ORDER BY h.created_at DESC LIMIT p_max);
  IF cardinality(recent) >= p_max THEN
    outcome := 'limited';
    RETURN;
  END IF;
  IF existing_id IS DISTINCT FROM p_existing_id OR existing_option IS DISTINCT FROM p_existing_option THEN
    outcome := 'existing';
    RETURN;
  END IF;
  -- The event goes into the audit queue (its id drawn now, after the vote row's lock); the
  -- current vote and its history row point at it by that id.
  INSERT INTO audit_queue (type, body, leaf_hash, datapoint_id) VALUES (p_type, p_body, p_leaf, p_datapoint) RETURNING id INTO queued;
  INSERT INTO votes (id, datapoint_id, user_id, option, rationale, shown, audit_queue_id, created_at, updated_at)
  VALUES (p_vote_id, p_datapoint, p_user, p_option, p_rationale, p_shown, queued, p_at, p_at)
  ON CONFLICT (id) DO UPDATE SET option = EXCLUDED.option, rationale = EXCLUDED.rationale, shown = EXCLUDED.shown,
    audit_seq = NULL, audit_queue_id = EXCLUDED.audit_queue_id, updated_at = EXCLUDED.updated_at;
  INSERT INTO vote_history (id, datapoint_id, user_id, option, rationale, shown, idempotency_key, audit_queue_id, created_at)
  VALUES (p_history_id, p_datapoint, p_user, p_option, p_rationale, p_shown, p_key, queued, p_at);
  outcome := 'ok';
END;
$$;
