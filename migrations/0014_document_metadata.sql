-- The sharing metadata of a document (module: documents), as practice software sends it over
-- IHE MHD / XDS (ANS PDSm, PDSm4DMP) and reads it back. Codes stay clear (search needs them:
-- the XDS registry keeps them in clear too); what names the patient as the sender knew them
-- (sourcePatientInfo) is sealed under the record's data key like the titles.
-- Rows written before this migration have these columns empty; readers fall back (reading.ts).

ALTER TABLE document ADD COLUMN unique_id text;                 -- XDS uniqueId = FHIR masterIdentifier.value, one per version
ALTER TABLE document ADD COLUMN sha1 bytea;                     -- XDS hash = FHIR attachment.hash
ALTER TABLE document ADD COLUMN class_code text;                -- XDS classCode (TRE_A03), "system|code"
ALTER TABLE document ADD COLUMN confidentiality text NOT NULL DEFAULT 'N' CHECK (confidentiality IN ('N', 'R', 'V'));
ALTER TABLE document ADD COLUMN facility_type text;             -- XDS healthcareFacilityTypeCode, "system|code"
ALTER TABLE document ADD COLUMN practice_setting text;          -- XDS practiceSettingCode, "system|code"
ALTER TABLE document ADD COLUMN event_codes text[] NOT NULL DEFAULT '{}';  -- XDS eventCodeList, "system|code" each
ALTER TABLE document ADD COLUMN language text;                  -- XDS languageCode (BCP 47)
ALTER TABLE document ADD COLUMN source_patient_sealed bytea;    -- XDS sourcePatientInfo (JSON), sealed
ALTER TABLE document ADD COLUMN submission_set_id uuid;         -- the submission set (FHIR List, ITI-66) it came in
-- The author as the registry describes it (XDS author: person, role, specialty, institution).
ALTER TABLE document ADD COLUMN author_given text;
ALTER TABLE document ADD COLUMN author_family text;
ALTER TABLE document ADD COLUMN author_profession text;         -- as the directory codes it: G15_10 (TRE_G15 profession 10)
ALTER TABLE document ADD COLUMN author_specialty text;          -- as the directory codes it: SM54 (TRE_R38 specialty)
ALTER TABLE document ADD COLUMN author_organization text;       -- workplace name
ALTER TABLE document ADD COLUMN author_organization_id text;    -- workplace FINESS

-- A uniqueId names one document version in the whole DMP; within the record is where a second
-- submission of the same one is caught (and the index keeps the record id, the shard key).
CREATE UNIQUE INDEX document_unique_id ON document (record_id, unique_id) WHERE unique_id IS NOT NULL;
CREATE INDEX document_by_submission_set ON document (record_id, submission_set_id) WHERE submission_set_id IS NOT NULL;

-- A submission set: what one ITI-65 bundle brought (FHIR List, MHD SubmissionSet).
CREATE TABLE submission_set (
  record_id            uuid NOT NULL,
  submission_set_id    uuid NOT NULL,
  unique_id            text NOT NULL,                -- XDS SubmissionSet.uniqueId = List.identifier (official)
  source_id            text,                         -- XDS SubmissionSet.sourceId = List extension sourceId
  title_sealed         bytea,                        -- List.title, sealed like the documents' titles
  content_type         text,                         -- XDS contentTypeCode = the List's designationType extension (MHD), "system|code"
  author_id            text NOT NULL,
  author_name          text NOT NULL,
  created_at           timestamptz NOT NULL,
  PRIMARY KEY (record_id, submission_set_id)
);
CREATE UNIQUE INDEX submission_set_unique_id ON submission_set (record_id, unique_id);
COMMENT ON TABLE submission_set IS 'scope:record';
