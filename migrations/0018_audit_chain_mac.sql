-- The access history is chained with a keyed MAC (module: audit; src/audit/chain.ts): each event's
-- hash is HMAC-SHA-256(K, prev_hash | event), K derived from the master key, so that someone who
-- can write to the database but does not hold the service's keys can no longer rewrite events
-- after the last signed checkpoint and recompute the chain.
--
-- Events written before this migration keep their plain SHA-256 hashes: the signed checkpoints
-- cover them, and recomputing them would break those checkpoints. Choice: rather than a version
-- tag in each event (which an attacker could flip to "unkeyed" along with the hash), the boundary
-- is recorded once per record that has a history today: its events before `keyed_from` are
-- legacy, every event from `keyed_from` on is keyed. Records without a row here (every record of
-- a new installation, every record created from now on) are keyed from their first event.
--
-- The boundary itself must not be movable, or a keyed tail could be "downgraded" by rewriting it
-- in SHA-256 and raising `keyed_from` past it. SQL cannot compute the MAC (it has no key), so the
-- service seals each row at its first start after this migration, before it serves anything
-- (src/audit/legacy.ts): `tag` = HMAC(K, record_id | keyed_from). Verification honours a row only
-- with a valid tag: a row added or raised later, without K, is ignored, and the record's unkeyed
-- events are then reported as altered. `audit_chain_keying` says whether that sealing was done;
-- once it is sealed, no row is ever sealed again.
-- The head carries a MAC too (HMAC(K, record_id | seq | hash), src/audit/chain.ts headTag), set by
-- each append, so that cutting the newest events and moving the head back is found without
-- waiting for a checkpoint. Today's heads have none: they are legacy, like their events.
ALTER TABLE audit_head ADD COLUMN tag bytea CHECK (tag IS NULL OR length(tag) = 32);

CREATE TABLE audit_chain_legacy (
  record_id   uuid PRIMARY KEY,
  keyed_from  bigint NOT NULL CHECK (keyed_from >= 2),   -- the first keyed seq: seqs before it are SHA-256
  tag         bytea CHECK (tag IS NULL OR length(tag) = 32)
);
COMMENT ON TABLE audit_chain_legacy IS 'scope:record';

-- One row: when the keying began, and its seal (HMAC(K, began_at | legacy_records)) once the
-- legacy rows above are sealed.
CREATE TABLE audit_chain_keying (
  id              smallint PRIMARY KEY CHECK (id = 1),
  began_at        timestamptz NOT NULL,
  legacy_records  bigint NOT NULL CHECK (legacy_records >= 0),
  tag             bytea CHECK (tag IS NULL OR length(tag) = 32)
);
COMMENT ON TABLE audit_chain_keying IS 'scope:system';

INSERT INTO audit_chain_legacy (record_id, keyed_from)
  SELECT record_id, seq + 1 FROM audit_head WHERE seq > 0;
INSERT INTO audit_chain_keying (id, began_at, legacy_records)
  SELECT 1, now(), count(*) FROM audit_chain_legacy;

-- Written once, by this migration; afterwards only the tag may be set, once, from NULL.
CREATE FUNCTION audit_chain_legacy_seal_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.tag IS NULL AND NEW.tag IS NOT NULL
     AND NEW.record_id = OLD.record_id AND NEW.keyed_from = OLD.keyed_from THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the keying of the access history is sealed once: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE FUNCTION audit_chain_keying_seal_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.tag IS NULL AND NEW.tag IS NOT NULL
     AND NEW.id = OLD.id AND NEW.began_at = OLD.began_at AND NEW.legacy_records = OLD.legacy_records THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the keying of the access history is sealed once: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_chain_legacy_seal_only BEFORE INSERT OR UPDATE OR DELETE ON audit_chain_legacy
  FOR EACH ROW EXECUTE FUNCTION audit_chain_legacy_seal_only();
CREATE TRIGGER audit_chain_legacy_no_truncate BEFORE TRUNCATE ON audit_chain_legacy
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_chain_keying_seal_only BEFORE INSERT OR UPDATE OR DELETE ON audit_chain_keying
  FOR EACH ROW EXECUTE FUNCTION audit_chain_keying_seal_only();
CREATE TRIGGER audit_chain_keying_no_truncate BEFORE TRUNCATE ON audit_chain_keying
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- The application's role reads them and seals them (the trigger allows nothing else).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'opendmp_app') THEN
    REVOKE ALL ON audit_chain_legacy, audit_chain_keying FROM opendmp_app;
    GRANT SELECT, UPDATE ON audit_chain_legacy, audit_chain_keying TO opendmp_app;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'grants of 0018_audit_chain_mac.sql not given to opendmp_app: run them by hand';
END;
$$;
