-- The transactional outbox (module: notify). A message is inserted in the same
-- transaction as the change that caused it, then a worker delivers it by email,
-- SMS or letter. The payload (recipient and data: one-time codes, addresses) is
-- sealed with AES-256-GCM under a key derived from the master key, bound to the
-- row's id; it is cleared once delivered, except in development where the dev
-- outbox shows it.

CREATE TABLE outbox_message (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq             bigint GENERATED ALWAYS AS IDENTITY,  -- insertion order (created_at comes from a clock tests may hold still)
  channel         text NOT NULL CHECK (channel IN ('email', 'sms', 'letter')),
  kind            text NOT NULL,                        -- the template's name
  payload         bytea,                                -- sealed; NULL once no longer needed
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,                 -- while 'sending': the end of the lease
  lease_until     timestamptz,
  last_error      text,                                 -- an error class or code, never a message
  created_at      timestamptz NOT NULL,
  sent_at         timestamptz
);
-- What the worker looks for: messages waiting, or whose delivery lease ran out.
CREATE INDEX outbox_message_due ON outbox_message (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_message_dead ON outbox_message (created_at) WHERE status = 'dead';
COMMENT ON TABLE outbox_message IS 'scope:system';
