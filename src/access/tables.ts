import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;

/** The access module's tables (migrations 0008 and 0010). */
export type SharingTables = {
  record_authorization: {
    record_id: string;
    rpps: string;
    basis: 'consent_declared' | 'care_team';
    granted_at: Timestamp;
    revoked_at: Timestamp | null;
  };
  record_block: { record_id: string; rpps: string; blocked_at: Timestamp };
  record_occupational_consent: {
    record_id: string;
    consent_id: string;
    rpps: string;
    consultation_id: string;
    given_at: Timestamp;
    until: Timestamp;
  };
  record_emergency_access: {
    record_id: string;
    access_id: string;
    rpps: string;
    mode: 'break-glass' | 'samu';
    reason_sealed: ColumnType<Uint8Array, Buffer, Buffer>;
    started_at: Timestamp;
  };
};
