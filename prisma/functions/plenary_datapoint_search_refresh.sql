-- plenary_datapoint_search_refresh: the live definition, as migration 20261127090600_datapoint_search_trigger applies it.
-- To change it: edit this file and add a migration with the new text (CREATE OR REPLACE,
-- or DROP and CREATE when its parameters change); lib/database/functions.test.ts holds
-- the two together.
CREATE FUNCTION plenary_datapoint_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."search_vector" := plenary_datapoint_search_document(NEW."title", NEW."prompt", NEW."context", NEW."responses");
  RETURN NEW;
END;
$$;
