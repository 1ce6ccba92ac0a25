import type { ColumnType } from 'kysely';

/** PostgreSQL hands bytea back as a Buffer, the embedded database as a Uint8Array. */
type Bytes = ColumnType<Uint8Array, Buffer, never>;

/** The audit module's tables (migration 0007). Nothing here is ever updated, except the heads. */
export type AuditTables = {
  audit_event: {
    record_id: string;
    seq: number;
    occurred_at: Date;
    actor_kind: string;
    actor_id: string;
    action: string;
    document_id: string | null;
    rule: string | null;
    allowed: boolean;
    personal: ColumnType<Uint8Array | null, Buffer | null, never>;
    prev_hash: Bytes;
    hash: Bytes;
  };
  audit_head: {
    record_id: string;
    seq: number;
    hash: ColumnType<Uint8Array, Buffer, Buffer>;
  };
  audit_checkpoint: {
    id: ColumnType<number, number, never>;
    created_at: Date;
    heads_digest: Bytes;
    record_count: number;
    signature: Bytes;
    public_key: Bytes;
  };
  audit_checkpoint_head: {
    record_id: string;
    checkpoint_id: number;
    seq: number;
    hash: Bytes;
  };
};

export const toBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
