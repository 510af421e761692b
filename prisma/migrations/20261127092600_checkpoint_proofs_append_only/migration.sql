-- Cached subtree hashes feed signed checkpoints, so PostgreSQL keeps them append-only like
-- the log itself (plenary_refuse_change comes from …_audit_append_only).
CREATE TRIGGER merkle_blocks_append_only
  BEFORE UPDATE OR DELETE ON "merkle_blocks"
  FOR EACH ROW EXECUTE FUNCTION plenary_refuse_change();
CREATE TRIGGER merkle_blocks_no_truncate
  BEFORE TRUNCATE ON "merkle_blocks"
  FOR EACH STATEMENT EXECUTE FUNCTION plenary_refuse_change();

-- Hashes are SHA-256 digests, signatures Ed25519, and a checkpoint covers at least one event.
ALTER TABLE "merkle_blocks"
  ADD CONSTRAINT "merkle_blocks_hash_size" CHECK (octet_length("hash") = 32),
  ADD CONSTRAINT "merkle_blocks_block_range" CHECK ("block" >= 0);
ALTER TABLE "checkpoints"
  ADD CONSTRAINT "checkpoints_sizes" CHECK (
    "tree_size" >= 1 AND octet_length("root_hash") = 32 AND octet_length("signature") = 64
  );
