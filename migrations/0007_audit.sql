-- The tamper-evident access history (module: audit). DOMAIN.md §6: every action on a record is
-- traced, and nobody, operator included, can erase or rewrite the history unnoticed.
--
-- Three locks, each catching what the previous one cannot:
--  1. triggers refuse UPDATE, DELETE and TRUNCATE on the history (a mistake, a bad script);
--  2. the application's role (opendmp_app) may only INSERT and SELECT it (a compromised app);
--  3. each record's events form a hash chain (hash = SHA-256(prev_hash | event)), and signed
--     checkpoints of every chain head are published (someone with owner rights who disables the
--     triggers and rewrites or cuts a chain is found by `npm run audit:verify`).
-- The personal part of an event (names, profession, workplace, emergency reason, free details) is
-- sealed under the patient's own data key: shredding the key makes it unreadable while the
-- chain, which hashes the sealed bytes, still verifies.

CREATE TABLE audit_event (
  record_id    uuid NOT NULL,
  seq          bigint NOT NULL CHECK (seq >= 1),        -- 1, 2, 3... with no gap, per record
  occurred_at  timestamptz NOT NULL,
  actor_kind   text NOT NULL CHECK (actor_kind ~ '^[a-z][a-z-]*$'),
  actor_id     text NOT NULL,                            -- a pseudonymous id (RPPS, login id); names go in `personal`
  action       text NOT NULL CHECK (action ~ '^[a-z][a-z-]*$'),
  document_id  uuid,
  rule         text,                                     -- the access rule that allowed or refused
  allowed      boolean NOT NULL,
  personal     bytea,                                    -- sealed JSON, NULL when there is none
  prev_hash    bytea NOT NULL CHECK (length(prev_hash) = 32),
  hash         bytea NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (record_id, seq)
);
COMMENT ON TABLE audit_event IS 'scope:record';

-- The head of each record's chain, locked (SELECT ... FOR UPDATE) by each append, so that only
-- events of the same record wait for each other. seq 0 with 32 zero bytes before the first event.
CREATE TABLE audit_head (
  record_id    uuid PRIMARY KEY,
  seq          bigint NOT NULL CHECK (seq >= 0),
  hash         bytea NOT NULL CHECK (length(hash) = 32)
);
COMMENT ON TABLE audit_head IS 'scope:record';

-- Signed digests of every chain head (Ed25519). Each signature also covers the previous
-- checkpoint's signature, so a checkpoint removed from the middle is noticed.
CREATE TABLE audit_checkpoint (
  id            bigserial PRIMARY KEY,
  created_at    timestamptz NOT NULL,
  heads_digest  bytea NOT NULL CHECK (length(heads_digest) = 32),
  record_count  bigint NOT NULL CHECK (record_count >= 0),
  signature     bytea NOT NULL CHECK (length(signature) = 64),
  public_key    bytea NOT NULL CHECK (length(public_key) = 32)
);
COMMENT ON TABLE audit_checkpoint IS 'scope:system';

-- The heads a checkpoint covered, kept only for the records whose head moved since the previous
-- checkpoint: a record's heads at checkpoint k are its latest row with checkpoint_id <= k.
-- Verification recomputes the signed digest from these rows, then checks each head against the
-- chain, so cutting the end of a chain after a checkpoint is found.
CREATE TABLE audit_checkpoint_head (
  record_id      uuid NOT NULL,
  checkpoint_id  bigint NOT NULL,
  seq            bigint NOT NULL CHECK (seq >= 1),
  hash           bytea NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (record_id, checkpoint_id)
);
COMMENT ON TABLE audit_checkpoint_head IS 'scope:record';

-- 1. Append-only, enforced by the database itself.
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the access history is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoint_head_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint_head
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoint_head_no_truncate BEFORE TRUNCATE ON audit_checkpoint_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- A head only moves forward, one event at a time, and is never removed.
CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' OR NEW.record_id <> OLD.record_id OR NEW.seq <> OLD.seq + 1 THEN
    RAISE EXCEPTION 'the head of an access history only moves forward: % on audit_head refused', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_head
  FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- 2. The application's role. In production, migrations run as the schema's owner and the service
-- connects as a login role that is a member of opendmp_app, e.g.
--   CREATE ROLE opendmp_web LOGIN PASSWORD '...' IN ROLE opendmp_app;
-- so that the service itself can append to the history and read it, never change or remove it.
-- (Other modules grant opendmp_app what they need on their own tables; a blanket
-- "GRANT ... ON ALL TABLES" must be followed by revoking UPDATE, DELETE, TRUNCATE here again.)
-- Roles belong to the whole server: created once, tolerated if another database made it first.
-- A migrating user without CREATEROLE (some managed services) gets a warning instead of a
-- failed migration: the DBA then creates the role and runs the grants below by hand.
DO $$
BEGIN
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'opendmp_app') THEN
      CREATE ROLE opendmp_app NOLOGIN;
    END IF;
  EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;
    WHEN insufficient_privilege THEN
      RAISE WARNING 'role opendmp_app not created (no CREATEROLE): create it and run the grants of 0007_audit.sql';
      RETURN;
  END;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO opendmp_app', current_schema());
  REVOKE ALL ON audit_event, audit_head, audit_checkpoint, audit_checkpoint_head FROM opendmp_app;
  GRANT SELECT, INSERT ON audit_event TO opendmp_app;
  GRANT SELECT, INSERT ON audit_checkpoint TO opendmp_app;
  GRANT SELECT, INSERT ON audit_checkpoint_head TO opendmp_app;
  GRANT USAGE ON SEQUENCE audit_checkpoint_id_seq TO opendmp_app;
  -- The head must move forward (its trigger allows nothing else); FOR UPDATE needs UPDATE.
  GRANT SELECT, INSERT, UPDATE ON audit_head TO opendmp_app;
END;
$$;
