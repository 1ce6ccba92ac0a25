-- Authentication primitives (module: auth): rate-limit counters and server-side
-- sessions. Both live in the database so that every app node sees the same state.

-- One row per limited key and fixed time window. The key is a SHA-256 digest
-- (hex) of what is limited (an address, an identifier): nothing in clear.
CREATE TABLE rate_limit_counter (
  key           text NOT NULL,
  window_start  timestamptz NOT NULL,
  hits          integer NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limit_counter_window ON rate_limit_counter (window_start);
COMMENT ON TABLE rate_limit_counter IS 'scope:system';

-- A signed-in browser. The cookie carries a 32-byte random token; only its
-- SHA-256 is kept, so that reading this table does not let anyone sign in.
CREATE TABLE session (
  id            uuid PRIMARY KEY,
  token_hash    bytea NOT NULL UNIQUE,
  account_id    text NOT NULL,                -- a patient's login id or a professional's id
  actor_kind    text NOT NULL CHECK (actor_kind IN ('patient', 'professional', 'agent')),
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,         -- touched at most once a minute; 30 minutes idle ends the session
  expires_at    timestamptz NOT NULL,         -- absolute end: created_at + 12 hours
  revoked_at    timestamptz,
  data          jsonb NOT NULL DEFAULT '{}'   -- e.g. the record being viewed, a wizard's progress
);
CREATE INDEX session_account ON session (account_id) WHERE revoked_at IS NULL;
CREATE INDEX session_expiry ON session (expires_at);
COMMENT ON TABLE session IS 'scope:system';
