-- plenary_datapoint_search_document: the live definition, as migration 20261127090600_datapoint_search_trigger applies it.
-- To change it: edit this file and add a migration with the new text (CREATE OR REPLACE,
-- or DROP and CREATE when its parameters change); lib/database/functions.test.ts holds
-- the two together.
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
