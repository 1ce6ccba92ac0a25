-- Who may see a record (module: access): the patient's authorizations and blocks,
-- and emergency accesses. See 0001 for the scope comments.

CREATE TABLE record_authorization (
  record_id          uuid NOT NULL,
  rpps               char(11) NOT NULL,
  basis              text NOT NULL CHECK (basis IN ('consent_declared', 'care_team')),
  granted_at         timestamptz NOT NULL,
  revoked_at         timestamptz,
  PRIMARY KEY (record_id, rpps)
);
COMMENT ON TABLE record_authorization IS 'scope:record';

CREATE TABLE record_block (
  record_id          uuid NOT NULL,
  rpps               char(11) NOT NULL,
  blocked_at         timestamptz NOT NULL,
  PRIMARY KEY (record_id, rpps)
);
COMMENT ON TABLE record_block IS 'scope:record';

CREATE TABLE record_emergency_access (
  record_id          uuid NOT NULL,
  access_id          uuid NOT NULL,
  rpps               char(11) NOT NULL,
  mode               text NOT NULL CHECK (mode IN ('break-glass', 'samu')),
  reason_sealed      bytea NOT NULL,
  started_at         timestamptz NOT NULL,
  PRIMARY KEY (record_id, access_id)
);
CREATE INDEX record_emergency_access_by_pro ON record_emergency_access (record_id, rpps, started_at DESC);
COMMENT ON TABLE record_emergency_access IS 'scope:record';

-- Whether masked documents may be opened in an emergency (DOMAIN.md §4), next to the two switches.
ALTER TABLE dmp_record ADD COLUMN allow_masked_in_emergency boolean NOT NULL DEFAULT false;
