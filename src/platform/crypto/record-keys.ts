/**
 * Envelope encryption by record. Each patient record has its own random data key; the
 * database keeps it only wrapped under a key derived from the master key, bound to the
 * record id (a wrapped key copied onto another record does not open). Destroying the key
 * is what makes deleting a record definitive: every ciphertext made with it, wherever it
 * was copied, can no longer be read.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { ColumnType, Kysely } from 'kysely';
import { open, seal } from './aead';
import { deriveKey } from './keys';

export type RecordKeyTables = {
  record_key: {
    record_id: string;
    /** PostgreSQL hands back a Buffer, the embedded database a Uint8Array; NULL once destroyed. */
    wrapped_key: ColumnType<Uint8Array | null, Buffer | null, Buffer | null>;
    created_at: Date;
    destroyed_at: Date | null;
  };
};

export class DataKeyDestroyed extends Error {
  override name = 'DataKeyDestroyed';
  constructor(readonly recordId: string) {
    super(`the data key of record ${recordId} was destroyed: its data can no longer be read`);
  }
}

const DATA_KEY_BYTES = 32;
// HKDF once per master key, not once per unwrap.
const wrappingKeys = new WeakMap<Buffer, Buffer>();
function wrappingKey(masterKey: Buffer): Buffer {
  let key = wrappingKeys.get(masterKey);
  if (!key) wrappingKeys.set(masterKey, (key = deriveKey(masterKey, 'key-wrapping')));
  return key;
}

/**
 * The keys one unit of work (an HTTP request) has already opened. Keys are never kept longer:
 * another node may destroy one at any time, and the next request must see it gone. Within a
 * request, the list, the titles and the trace of one record then share one read and one unwrap.
 */
const openedKeys = new AsyncLocalStorage<{ keys: Map<string, Buffer>; createdHere: Set<string> }>();

/** Runs `work` with a key cache of its own (what the HTTP server does for each request). */
export function withRecordKeyCache<T>(work: () => T): T {
  return openedKeys.run({ keys: new Map(), createdHere: new Set() }, work);
}

/**
 * The record's data key, created on first use. Two nodes asking at once both try to insert;
 * ON CONFLICT keeps the first and both then read the same row. Keys are not cached: another
 * node may destroy one at any time.
 */
export async function dataKeyFor(db: Kysely<any>, masterKey: Buffer, recordId: string, now: Date): Promise<Buffer> {
  const opened = openedKeys.getStore();
  const cached = opened?.keys.get(recordId);
  if (cached) return cached;
  const keys = db as Kysely<RecordKeyTables>;
  let row = await readKeyRow(keys, recordId);
  // A key this request created is never remembered: its transaction may still be rolled back,
  // and what was sealed with a key that does not exist could never be opened.
  const remember = !!row && !opened?.createdHere.has(recordId);
  if (!row) {
    opened?.createdHere.add(recordId);
    const wrapped = seal(wrappingKey(masterKey), randomBytes(DATA_KEY_BYTES), recordId);
    await keys
      .insertInto('record_key')
      .values({ record_id: recordId, wrapped_key: wrapped, created_at: now, destroyed_at: null })
      .onConflict((oc) => oc.column('record_id').doNothing())
      .execute();
    row = await readKeyRow(keys, recordId);
  }
  if (!row?.wrapped_key || row.destroyed_at) throw new DataKeyDestroyed(recordId);
  const key = openWrappedDataKey(masterKey, recordId, row.wrapped_key);
  if (remember) opened?.keys.set(recordId, key);
  return key;
}

/** A record's data key from its wrapped form (what a migration's data step reads with plain SQL). */
export function openWrappedDataKey(masterKey: Buffer, recordId: string, wrapped: Uint8Array): Buffer {
  return open(wrappingKey(masterKey), Buffer.from(wrapped), recordId);
}

/**
 * Shreds the record's data key. Idempotent; a record that never had a key gets a tombstone,
 * so that no key can be created for it afterwards.
 */
export async function destroyDataKey(db: Kysely<any>, recordId: string, now: Date): Promise<void> {
  openedKeys.getStore()?.keys.delete(recordId);
  await (db as Kysely<RecordKeyTables>)
    .insertInto('record_key')
    .values({ record_id: recordId, wrapped_key: null, created_at: now, destroyed_at: now })
    .onConflict((oc) =>
      oc.column('record_id').doUpdateSet((eb) => ({
        wrapped_key: null,
        destroyed_at: eb.fn.coalesce('record_key.destroyed_at', 'excluded.destroyed_at'),
      })),
    )
    .execute();
}

/**
 * Locks the record's key row until the caller's transaction ends: one row per record, on the
 * record's shard, that serializes changes to one record across nodes (e.g. the health
 * profile's limits). The key must exist (dataKeyFor makes it).
 */
export async function lockRecordKeyRow(trx: Kysely<any>, recordId: string): Promise<void> {
  await (trx as Kysely<RecordKeyTables>).selectFrom('record_key').select('record_id').where('record_id', '=', recordId).forUpdate().execute();
}

function readKeyRow(db: Kysely<RecordKeyTables>, recordId: string) {
  return db
    .selectFrom('record_key')
    .select(['wrapped_key', 'destroyed_at'])
    .where('record_id', '=', recordId)
    .executeTakeFirst();
}

/**
 * Sealing a record's free text (document titles, notes, health-profile entries, the personal
 * part of audit events). The associated data binds each value to its record and its purpose
 * (e.g. `document-title:<documentId>`), so a value moved to another row or field is refused.
 */
const recordAad = (recordId: string, purpose: string) => `opendmp:record:${recordId}:${purpose}`;

export function sealForRecord(dataKey: Buffer, recordId: string, purpose: string, plaintext: Buffer | string): Buffer {
  return seal(dataKey, plaintext, recordAad(recordId, purpose));
}

export function openForRecord(dataKey: Buffer, recordId: string, purpose: string, sealed: Buffer | Uint8Array): Buffer {
  return open(dataKey, Buffer.from(sealed), recordAad(recordId, purpose));
}

export function openTextForRecord(dataKey: Buffer, recordId: string, purpose: string, sealed: Buffer | Uint8Array): string {
  return openForRecord(dataKey, recordId, purpose, sealed).toString('utf8');
}

/** The same, bound once to a record: what a service handling one record passes around. */
export interface RecordCipher {
  readonly recordId: string;
  seal(purpose: string, plaintext: Buffer | string): Buffer;
  open(purpose: string, sealed: Buffer | Uint8Array): Buffer;
  openText(purpose: string, sealed: Buffer | Uint8Array): string;
}

export function recordCipher(dataKey: Buffer, recordId: string): RecordCipher {
  return {
    recordId,
    seal: (purpose, plaintext) => sealForRecord(dataKey, recordId, purpose, plaintext),
    open: (purpose, sealed) => openForRecord(dataKey, recordId, purpose, sealed),
    openText: (purpose, sealed) => openTextForRecord(dataKey, recordId, purpose, sealed),
  };
}
