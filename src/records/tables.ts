import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;

/** The record itself (migration 0004): the record, INS → record, and who belongs to it. */
export type RecordTables = {
  dmp_record: {
    record_id: string;
    ins_oid: string;
    ins_matricule: string;
    status: 'active' | 'closed';
    created_at: Timestamp;
    created_by_kind: 'patient' | 'representative' | 'professional' | 'agent';
    created_by_id: string;
    consent_at: Timestamp;
    consent_by: string;
    allow_break_glass: boolean;
    allow_samu: boolean;
    /** Added by migration 0008 (emergency settings, next to the two switches). */
    allow_masked_in_emergency: ColumnType<boolean, boolean | undefined, boolean>;
    closed_at: Timestamp | null;
  };
  record_by_ins: { ins_matricule: string; record_id: string; created_at: Timestamp };
  account_record: { login_id: string; record_id: string; role: RecordRole; created_at: Timestamp };
};

export type RecordRole = 'holder' | 'legal_representative' | 'caregiver';
