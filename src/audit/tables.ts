import type { ColumnType } from 'kysely';

/** PostgreSQL hands bytea back as a Buffer, the embedded database as a Uint8Array. */
type Bytes = ColumnType<Uint8Array, Buffer, never>;

/**
 * The audit module's tables (migrations 0007, 0018). Nothing here is ever updated, except the
 * heads, and the keying's tags, set once (legacy.ts).
 */
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
    /** The head's MAC (chain.ts headTag); null before the first keyed event. */
    tag: ColumnType<Uint8Array | null, Buffer | null | undefined, Buffer>;
  };
  /** Records with events from before the keyed chain: their first keyed seq, sealed by `tag`. */
  audit_chain_legacy: {
    record_id: string;
    keyed_from: ColumnType<number, never, never>;
    tag: ColumnType<Uint8Array | null, never, Buffer>;
  };
  audit_chain_keying: {
    id: ColumnType<number, never, never>;
    began_at: ColumnType<Date, never, never>;
    legacy_records: ColumnType<number, never, never>;
    tag: ColumnType<Uint8Array | null, never, Buffer>;
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
