-- The times of a document as practice software gives them (issue 12, ITI-65 "keep every metadata
-- element"): until now the DocumentReference's attachment.creation was answered with the
-- registration time, and context.period was kept only as care_date (a date: the time and the
-- end were dropped). care_date stays what it is (the lists, and the `period` / `date` searches,
-- use it); these columns keep the instants as sent, null when not given (our own screens'
-- deposits, rows written before, or a value given as a date without a time).
ALTER TABLE document ADD COLUMN authored_at timestamptz;    -- XDS creationTime = FHIR content.attachment.creation
ALTER TABLE document ADD COLUMN service_start timestamptz;  -- XDS serviceStartTime = FHIR context.period.start
ALTER TABLE document ADD COLUMN service_end timestamptz;    -- XDS serviceStopTime = FHIR context.period.end

COMMENT ON COLUMN document.authored_at IS 'XDS creationTime (FHIR DocumentReference.content.attachment.creation)';
COMMENT ON COLUMN document.service_start IS 'XDS serviceStartTime (FHIR DocumentReference.context.period.start)';
COMMENT ON COLUMN document.service_end IS 'XDS serviceStopTime (FHIR DocumentReference.context.period.end)';
