import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { DecryptionError } from '../src/platform/crypto/aead';
import {
  DataKeyDestroyed,
  dataKeyFor,
  destroyDataKey,
  openForRecord,
  openTextForRecord,
  recordCipher,
  sealForRecord,
  type RecordKeyTables,
} from '../src/platform/crypto/record-keys';
import { createTestDatabase, type TestDatabase } from './helpers/database';

describe('per-record data keys (crypto-shredding)', () => {
  let t: TestDatabase;
  let db: Kysely<RecordKeyTables>;
  const masterKey = randomBytes(32);
  const now = new Date('2026-03-12T09:00:00Z');

  before(async () => {
    t = await createTestDatabase();
    db = t.database.db.withTables<RecordKeyTables>();
  });
  after(async () => t.drop());

  const storedRow = (recordId: string) =>
    db.selectFrom('record_key').selectAll().where('record_id', '=', recordId).executeTakeFirstOrThrow();

  it('creates a key on first use and gives the same key afterwards, stored only wrapped', async () => {
    const recordId = randomUUID();
    const key = await dataKeyFor(db, masterKey, recordId, now);
    assert.equal(key.length, 32);
    assert.deepEqual(await dataKeyFor(db, masterKey, recordId, new Date()), key);
    const row = await storedRow(recordId);
    assert.ok(row.wrapped_key);
    assert.ok(!Buffer.from(row.wrapped_key).includes(key), 'the data key is never stored in clear');
    assert.equal(row.created_at.toISOString(), now.toISOString());
    assert.equal(row.destroyed_at, null);
  });

  it('gives each record its own key', async () => {
    const a = await dataKeyFor(db, masterKey, randomUUID(), now);
    const b = await dataKeyFor(db, masterKey, randomUUID(), now);
    assert.notDeepEqual(a, b);
  });

  it('agrees on one key when many callers ask for a new record at once', async () => {
    const recordId = randomUUID();
    const keys = await Promise.all(Array.from({ length: 8 }, () => dataKeyFor(db, masterKey, recordId, now)));
    for (const key of keys) assert.deepEqual(key, keys[0]);
    const { count } = await db
      .selectFrom('record_key')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('record_id', '=', recordId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count), 1);
  });

  it('works inside a transaction', async () => {
    const recordId = randomUUID();
    const key = await db.transaction().execute((trx) => dataKeyFor(trx, masterKey, recordId, now));
    assert.deepEqual(await dataKeyFor(db, masterKey, recordId, now), key);
  });

  it('refuses another master key, and a wrapped key copied onto another record', async () => {
    const source = randomUUID();
    const target = randomUUID();
    await dataKeyFor(db, masterKey, source, now);
    await dataKeyFor(db, masterKey, target, now);
    await assert.rejects(dataKeyFor(db, randomBytes(32), source, now), DecryptionError);
    await sql`UPDATE record_key SET wrapped_key = (SELECT wrapped_key FROM record_key WHERE record_id = ${source})
               WHERE record_id = ${target}`.execute(db);
    await assert.rejects(dataKeyFor(db, masterKey, target, now), DecryptionError);
  });

  it('destroys a key for good: the wrapped key is wiped and the record can no longer get one', async () => {
    const recordId = randomUUID();
    const key = await dataKeyFor(db, masterKey, recordId, now);
    const title = sealForRecord(key, recordId, 'document-title:d1', 'Compte rendu opératoire');
    const destroyedAt = new Date('2036-03-12T09:00:00Z');
    await destroyDataKey(db, recordId, destroyedAt);
    await assert.rejects(dataKeyFor(db, masterKey, recordId, now), DataKeyDestroyed);
    const row = await storedRow(recordId);
    assert.equal(row.wrapped_key, null);
    assert.equal(row.destroyed_at?.toISOString(), destroyedAt.toISOString());
    // Again: nothing changes, the first destruction date stays.
    await destroyDataKey(db, recordId, new Date('2040-01-01T00:00:00Z'));
    assert.equal((await storedRow(recordId)).destroyed_at?.toISOString(), destroyedAt.toISOString());
    // What was sealed stays sealed: only the lost key could open it.
    assert.throws(() => openForRecord(randomBytes(32), recordId, 'document-title:d1', title), DecryptionError);
  });

  it('leaves a tombstone when destroying a record that never had a key', async () => {
    const recordId = randomUUID();
    await destroyDataKey(db, recordId, now);
    await assert.rejects(dataKeyFor(db, masterKey, recordId, now), (e: unknown) => {
      assert.ok(e instanceof DataKeyDestroyed);
      assert.equal(e.recordId, recordId);
      return true;
    });
  });

  it('the database refuses a row that is neither a live key nor a tombstone', async () => {
    await assert.rejects(
      sql`INSERT INTO record_key (record_id, wrapped_key, created_at, destroyed_at) VALUES (${randomUUID()}, NULL, now(), NULL)`.execute(db),
    );
  });
});

describe('sealing a record’s free text', () => {
  const key = randomBytes(32);
  const recordId = randomUUID();

  it('opens what it sealed, and the sealed form holds no plaintext', () => {
    const sealed = sealForRecord(key, recordId, 'note:n1', 'Suspicion de diabète de type 2');
    assert.ok(!sealed.includes(Buffer.from('diabète')));
    assert.equal(openTextForRecord(key, recordId, 'note:n1', sealed), 'Suspicion de diabète de type 2');
    assert.deepEqual(openForRecord(key, recordId, 'note:n1', new Uint8Array(sealed)), Buffer.from('Suspicion de diabète de type 2'));
  });

  it('refuses a value moved to another record or another purpose', () => {
    const sealed = sealForRecord(key, recordId, 'note:n1', 'texte');
    assert.throws(() => openForRecord(key, randomUUID(), 'note:n1', sealed), DecryptionError);
    assert.throws(() => openForRecord(key, recordId, 'note:n2', sealed), DecryptionError);
    assert.throws(() => openForRecord(key, recordId, 'document-title:n1', sealed), DecryptionError);
  });

  it('binds a cipher to one record', () => {
    const cipher = recordCipher(key, recordId);
    const sealed = cipher.seal('profile:allergies', 'Pénicilline');
    assert.equal(cipher.openText('profile:allergies', sealed), 'Pénicilline');
    assert.equal(openTextForRecord(key, recordId, 'profile:allergies', sealed), 'Pénicilline');
    assert.throws(() => recordCipher(key, randomUUID()).open('profile:allergies', sealed), DecryptionError);
  });
});
