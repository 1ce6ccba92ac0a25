-- The worker's express consent to the occupational doctor, for one consultation
-- (law of 2 August 2021; module: access). See 0001 for the scope comments.
CREATE TABLE record_occupational_consent (
  record_id          uuid NOT NULL,
  consent_id         uuid NOT NULL,
  rpps               char(11) NOT NULL,
  consultation_id    text NOT NULL,
  given_at           timestamptz NOT NULL,
  until              timestamptz NOT NULL,
  PRIMARY KEY (record_id, consent_id)
);
CREATE INDEX record_occupational_consent_by_pro ON record_occupational_consent (record_id, rpps, until DESC);
COMMENT ON TABLE record_occupational_consent IS 'scope:record';
