-- Per-record data keys (module: documents). Everything sealed for a patient (document bytes,
-- titles, notes, free text) is encrypted under that record's own 32-byte data key, and the
-- data key is kept here only wrapped (AES-256-GCM) by a key derived from the master key.
-- Destroying a record wipes its wrapped key: every copy of its data, in the blob store and
-- in the database's backups, becomes unreadable (crypto-shredding).
CREATE TABLE record_key (
  record_id     uuid PRIMARY KEY,
  wrapped_key   bytea,                 -- NULL once destroyed
  created_at    timestamptz NOT NULL,
  destroyed_at  timestamptz,
  -- A row is either a live key or the tombstone of a destroyed one, so that a shredded
  -- record can never silently get a new key.
  CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
);
COMMENT ON TABLE record_key IS 'scope:record';
