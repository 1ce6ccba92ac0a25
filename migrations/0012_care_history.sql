-- The care history the Assurance Maladie feeds (DOMAIN.md §1; module: care-history): the
-- reimbursed lines of the last 24 months, sealed under the record's data key, and the
-- document (type REMB) that presents them, brought up to date by each feed.
-- See 0001 for the scope comments.
CREATE TABLE care_history (
  record_id          uuid PRIMARY KEY,
  document_id        uuid NOT NULL,
  version            integer NOT NULL,
  lines_sealed       bytea NOT NULL,
  line_count         integer NOT NULL,
  updated_at         timestamptz NOT NULL
);
COMMENT ON TABLE care_history IS 'scope:record';
