import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;
type Bytes = ColumnType<Uint8Array, Buffer, Buffer>;

export type DocumentStatus = 'current' | 'replaced' | 'deleted';
export type DocumentFormat = 'pdf' | 'cda' | 'text' | 'jpeg' | 'png';
/** XDS confidentialityCode (HL7 v3 Confidentiality): normal, restricted, very restricted. */
export type Confidentiality = 'N' | 'R' | 'V';
export type AuthorKind = 'professional' | 'patient' | 'representative' | 'caregiver' | 'insurance';
export type HealthEntryKind =
  | 'condition'
  | 'allergy'
  | 'treatment'
  | 'vaccination'
  | 'organ-donation'
  | 'trusted-person'
  | 'emergency-contact';

/** The documents module's tables (migrations 0006, 0014, 0016, 0020). */
export type DocumentTables = {
  document: {
    record_id: string;
    document_id: string;
    version: number;
    status: DocumentStatus;
    type_code: string;
    type_system: string;
    category: string;
    title_sealed: Bytes;
    title_terms: string[];
    care_date: string; // yyyy-mm-dd
    author_kind: AuthorKind;
    author_id: string;
    /** Empty when the author is a patient, a representative or a caregiver: then sealed below (0019). */
    author_name: string;
    author_name_sealed: Bytes | null;
    format: DocumentFormat;
    media_type: string;
    size_bytes: number;
    sha256: Bytes;
    masked: boolean;
    hidden_from_patient: boolean;
    hidden_from_representatives: boolean;
    blob_key: string;
    created_at: Timestamp;
    status_changed_at: Timestamp | null;
    status_changed_by: string | null;
    // Sharing metadata (0014): null on rows written before it.
    unique_id: string | null;
    sha1: Bytes | null;
    class_code: string | null;
    confidentiality: Generated<Confidentiality>;
    facility_type: string | null;
    practice_setting: string | null;
    event_codes: Generated<string[]>;
    language: string | null;
    source_patient_sealed: Bytes | null;
    submission_set_id: string | null;
    author_given: string | null;
    author_family: string | null;
    author_profession: string | null;
    author_specialty: string | null;
    author_organization: string | null;
    author_organization_id: string | null;
    /** Counts the changes of the row's metadata (status, labels): FHIR meta.versionId (0016, a trigger keeps it). */
    meta_version: Generated<number>;
    // The times practice software gives (0020), null when not given with a time: XDS creationTime,
    // serviceStartTime, serviceStopTime. care_date stays the date the lists and searches use.
    authored_at: Timestamp | null;
    service_start: Timestamp | null;
    service_end: Timestamp | null;
  };
  submission_set: {
    record_id: string;
    submission_set_id: string;
    unique_id: string;
    source_id: string | null;
    title_sealed: Bytes | null;
    content_type: string | null;
    author_id: string;
    author_name: string;
    created_at: Timestamp;
  };
  health_entry: {
    record_id: string;
    entry_id: string;
    kind: HealthEntryKind;
    content_sealed: Bytes;
    author_kind: string;
    author_id: string;
    created_at: Timestamp;
    updated_at: Timestamp;
    deleted_at: Timestamp | null;
  };
};
