-- Full-text search over datapoints. The document lives in a stored column (indexed by GIN in
-- 20261127090500_datapoint_search) rather than being computed per query, so a search reads
-- the index instead of re-parsing every prompt and response. Weights make a match in the
-- title count most, then the prompt, then context and the candidate responses.
CREATE FUNCTION plenary_datapoint_search_document(title text, prompt text, context text, responses jsonb)
  RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english', coalesce(title, '')), 'A')
      || setweight(to_tsvector('english', coalesce(prompt, '')), 'B')
      || setweight(to_tsvector('english', coalesce(context, '')), 'C')
      || setweight(to_tsvector('english', coalesce(
           -- responses is [{ "id": "A", "text": "…" }, …]; anything else contributes nothing.
           (SELECT string_agg(r ->> 'text', E'\n\n')
              FROM jsonb_array_elements(CASE WHEN jsonb_typeof(responses) = 'array' THEN responses ELSE '[]' END) AS r),
           '')), 'C')
$$;

-- The application never writes search_vector: the database keeps it in step with the content,
-- whichever code path inserts or edits a datapoint.
CREATE FUNCTION plenary_datapoint_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."search_vector" := plenary_datapoint_search_document(NEW."title", NEW."prompt", NEW."context", NEW."responses");
  RETURN NEW;
END;
$$;

-- Only content columns: status changes (open, close, finalize) need not re-parse the text.
CREATE TRIGGER datapoints_search_refresh
  BEFORE INSERT OR UPDATE OF "title", "prompt", "context", "responses" ON "datapoints"
  FOR EACH ROW EXECUTE FUNCTION plenary_datapoint_search_refresh();

-- Datapoints imported before this migration.
UPDATE "datapoints"
   SET "search_vector" = plenary_datapoint_search_document("title", "prompt", "context", "responses");
