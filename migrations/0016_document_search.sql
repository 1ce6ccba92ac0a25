-- What the FHIR Document Responder (IHE MHD ITI-67 / ITI-66, ANS PDSm) needs of the documents
-- module's tables: a version number for a document's metadata, every uniqueId filled, and
-- indexes for the searches practice software runs. Every index leads with the record id
-- (the shard key): a search is always within one record.

-- meta.versionId of a DocumentReference (PDSm: "égale à 1 pour la première version de la
-- fiche", then one more at each change of its metadata). A row's bytes never change; what does
-- is its status (replaced, deleted) and its labels (masking, visibility, confidentiality). A
-- trigger counts those changes, whichever code makes them (masking from the patient's screens,
-- a PATCH from practice software, a replacement), so that no writer can forget it and leave a
-- stale ETag. (On Citus, row triggers on a distributed table need citus.enable_unsafe_triggers:
-- the trigger only touches its own row, which is what that setting asks for.)
ALTER TABLE document ADD COLUMN meta_version integer NOT NULL DEFAULT 1;

CREATE FUNCTION document_count_metadata_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status
    OR NEW.masked IS DISTINCT FROM OLD.masked
    OR NEW.hidden_from_patient IS DISTINCT FROM OLD.hidden_from_patient
    OR NEW.hidden_from_representatives IS DISTINCT FROM OLD.hidden_from_representatives
    OR NEW.confidentiality IS DISTINCT FROM OLD.confidentiality THEN
    NEW.meta_version := OLD.meta_version + 1;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER document_metadata_version BEFORE UPDATE ON document
  FOR EACH ROW EXECUTE FUNCTION document_count_metadata_change();

-- Rows written before 0014 have no uniqueId; give them one, so that every DocumentReference has a
-- masterIdentifier that a search by `identifier` finds (MHD: masterIdentifier 1..1).
UPDATE document SET unique_id = 'urn:uuid:' || gen_random_uuid() WHERE unique_id IS NULL;

-- ITI-67 filters beside the record id: the class code (category) and the date of the
-- DocumentReference (date, creation, _sort=date); ITI-66 lists by date. The other codes
-- (event codes, an array, among them) are filtered within the record's rows: an index that
-- does not lead with the record id would not serve a search that always has one.
CREATE INDEX document_by_class ON document (record_id, class_code) WHERE class_code IS NOT NULL;
CREATE INDEX document_by_creation ON document (record_id, created_at DESC);
CREATE INDEX submission_set_by_date ON submission_set (record_id, created_at DESC);
