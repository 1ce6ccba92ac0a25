import type { ColumnType } from 'kysely';
import type { RecordRole } from '../records';

export type { RecordRole };

type Timestamp = ColumnType<Date, Date, Date>;

/** The accounts module's tables (migration 0004); the record's own are the records module's. */
export type AccountTables = {
  /** Migration 0019: the NIR is a blind index, the personal details one sealed value (identity.ts). */
  patient_account: {
    login_id: string;
    nir_index: Buffer;
    /** Sealed JSON of PatientPersonal; a Buffer from PostgreSQL, a Uint8Array from the embedded database. */
    personal: ColumnType<Uint8Array, Buffer, Buffer>;
    password_hash: string;
    password_is_initial: boolean;
    code_channel: 'sms' | 'email';
    first_login_step: FirstLoginStep | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  account_by_nir: { nir_index: Buffer; login_id: string };
  creation_code: {
    nir_index: Buffer;
    id: string;
    code_mac: Buffer;
    created_at: Timestamp;
    expires_at: Timestamp;
    used_at: Timestamp | null;
    failed_attempts: ColumnType<number, number | undefined, number>;
  };
  /** Migration 0017: a creation-code request queued before any lookup (creation-code-requests.ts). */
  creation_code_request: { id: string; nir_sealed: Buffer; requested_at: Timestamp };
  auth_challenge: {
    id: string;
    purpose: ChallengePurpose;
    login_id: string;
    code_mac: Buffer;
    channel: 'sms' | 'email';
    /** The new mobile or email being confirmed, sealed (migration 0019). */
    new_value_sealed: ColumnType<Uint8Array | null, Buffer | null, Buffer | null>;
    created_at: Timestamp;
    expires_at: Timestamp;
    attempts: ColumnType<number, number | undefined, number>;
    resends: ColumnType<number, number | undefined, number>;
    consumed_at: Timestamp | null;
  };
  login_failure: { identifier_hash: Buffer; failures: number; locked_until: Timestamp | null; updated_at: Timestamp };
  /** Migration 0013: a caregiver's own login, for someone who has no DMP of their own. */
  caregiver_account: {
    login_id: string;
    /** Sealed JSON of CaregiverPersonal (migration 0019). */
    personal: ColumnType<Uint8Array, Buffer, Buffer>;
    password_hash: string;
    code_channel: 'sms' | 'email';
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  /** Migration 0013: the caregivers a patient invited, on the patient's record. */
  record_caregiver: {
    record_id: string;
    caregiver_id: string;
    first_name: string;
    last_name: string;
    email: string;
    code_mac: Buffer;
    invited_by: string;
    invited_at: Timestamp;
    expires_at: Timestamp;
    accepted_at: Timestamp | null;
    login_id: string | null;
    removed_at: Timestamp | null;
  };
  /** Migration 0015: practice software admitted to the FHIR door, each its own OAuth client. */
  software_client: {
    client_id: string;
    name: string;
    redirect_uris: string[];
    created_at: Timestamp;
    disabled_at: Timestamp | null;
  };
};

export type FirstLoginStep = 'personal' | 'password' | 'emergency';
/** 'agent-login': an insurance agent's sign-in (module agents); `login_id` is then the agent's identifier. */
export type ChallengePurpose = 'login' | 'password-reset' | 'contact-change' | 'agent-login';
