-- Creation-code requests waiting to be looked up (#11 finding 7).
--
-- Asking for a creation code must not tell, by how long the answer takes, whether a NIR is
-- insured or already has a record. So the request only queues this row, the same single insert
-- whatever the NIR, and answers; the lookup, the code and the message happen afterwards, on the
-- node that took the request or, should it stop first, in the worker role's next round. The row
-- is deleted in the transaction that sends the code, so a request is handled once.
-- The NIR is sealed (AES-GCM, a key derived from the master key, the row id as AAD).
CREATE TABLE creation_code_request (
  id                 uuid PRIMARY KEY,
  nir_sealed         bytea NOT NULL,
  requested_at       timestamptz NOT NULL
);
CREATE INDEX creation_code_request_by_age ON creation_code_request (requested_at);
-- A short queue of the whole service, like the outbox.
COMMENT ON TABLE creation_code_request IS 'scope:system';
