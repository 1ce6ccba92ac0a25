-- The record's content (module: documents). See 0001 for the scope comments.
-- Free text (titles, notes, profile entries) is sealed under the record's data key
-- (record_key, 0005); what search needs (type, category, dates, status, author) stays clear.

CREATE TABLE document (
  record_id            uuid NOT NULL,
  document_id          uuid NOT NULL,          -- stable across versions
  version              integer NOT NULL,
  status               text NOT NULL CHECK (status IN ('current', 'replaced', 'deleted')),
  type_code            text NOT NULL,
  type_system          text NOT NULL,
  category             text NOT NULL,
  title_sealed         bytea NOT NULL,
  title_terms          text[] NOT NULL DEFAULT '{}',  -- blind index: keyed hashes of the title's words
  care_date            date NOT NULL,
  author_kind          text NOT NULL CHECK (author_kind IN ('professional', 'patient', 'representative', 'caregiver', 'insurance')),
  author_id            text NOT NULL,
  author_name          text NOT NULL,
  format               text NOT NULL CHECK (format IN ('pdf', 'cda', 'text', 'jpeg', 'png')),
  media_type           text NOT NULL,
  size_bytes           bigint NOT NULL,
  sha256               bytea NOT NULL,
  masked               boolean NOT NULL DEFAULT false,
  hidden_from_patient  boolean NOT NULL DEFAULT false,
  hidden_from_representatives boolean NOT NULL DEFAULT false,
  blob_key             text NOT NULL,
  created_at           timestamptz NOT NULL,
  status_changed_at    timestamptz,
  status_changed_by    text,
  PRIMARY KEY (record_id, document_id, version)
);
CREATE INDEX document_listing ON document (record_id, status, care_date DESC, document_id);
CREATE INDEX document_by_category ON document (record_id, category, care_date DESC) WHERE status = 'current';
COMMENT ON TABLE document IS 'scope:record';

-- Structured health profile: conditions, allergies, treatments, vaccinations, wishes, people to call.
CREATE TABLE health_entry (
  record_id            uuid NOT NULL,
  entry_id             uuid NOT NULL,
  kind                 text NOT NULL CHECK (kind IN ('condition', 'allergy', 'treatment', 'vaccination', 'organ-donation', 'trusted-person', 'emergency-contact')),
  content_sealed       bytea NOT NULL,
  author_kind          text NOT NULL,
  author_id            text NOT NULL,
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL,
  deleted_at           timestamptz,
  PRIMARY KEY (record_id, entry_id)
);
CREATE INDEX health_entry_by_kind ON health_entry (record_id, kind) WHERE deleted_at IS NULL;
COMMENT ON TABLE health_entry IS 'scope:record';
