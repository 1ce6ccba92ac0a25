import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;
type Bytes = ColumnType<Uint8Array, Buffer, Buffer>;

export type DocumentStatus = 'current' | 'replaced' | 'deleted';
export type DocumentFormat = 'pdf' | 'cda' | 'text' | 'jpeg' | 'png';
export type AuthorKind = 'professional' | 'patient' | 'representative' | 'caregiver' | 'insurance';
export type HealthEntryKind =
  | 'condition'
  | 'allergy'
  | 'treatment'
  | 'vaccination'
  | 'organ-donation'
  | 'trusted-person'
  | 'emergency-contact';

/** The documents module's tables (migration 0006). */
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
    author_name: string;
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
