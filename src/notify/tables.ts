import type { ColumnType } from 'kysely';

export type Channel = 'email' | 'sms' | 'letter';
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'dead';

/** The notify module's table (migration 0002). */
export type OutboxTables = {
  outbox_message: {
    id: string;
    seq: ColumnType<never, never, never>;
    channel: Channel;
    kind: string;
    /** Sealed; PostgreSQL hands back a Buffer, the embedded database a Uint8Array. */
    payload: ColumnType<Uint8Array | null, Buffer, Buffer | null>;
    status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
    attempts: ColumnType<number, number | undefined, number>;
    next_attempt_at: Date;
    lease_until: Date | null;
    last_error: string | null;
    created_at: ColumnType<Date, Date, never>;
    sent_at: Date | null;
  };
};
