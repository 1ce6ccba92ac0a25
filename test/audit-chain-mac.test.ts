import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { chainFieldsOf, chainHash, GENESIS, type StoredChainFields } from '../src/audit/chain';
import { publishCheckpoint } from '../src/audit/checkpoints';
import { sealLegacyChains } from '../src/audit/legacy';
import { auditChainKey, keyAuditTrail } from '../src/audit/recorder';
import { signingKeyFromSeed } from '../src/audit/signing';
import { appendEvent, type AuditEventInput } from '../src/audit/trail';
import { verifyTrail } from '../src/audit/verify';
import { createLogger } from '../src/platform/logging';
import { migrate, readMigrations } from '../src/platform/db/migrate';
// The migrations after the keying include a data step (0019, the sealed identities), which needs the key.
import { migrateDatabase } from '../src/app/cli/migrations';
import { MemoryCipher } from './helpers/memory-cipher';
import { createTestDatabase, type TestDatabase } from './helpers/database';

/**
 * Issue #11, finding 12: the chain is keyed (HMAC-SHA-256 under a key derived from the master
 * key), so that someone who can write to the database but does not hold the service's keys
 * cannot rewrite the events after the last signed checkpoint and recompute the chain, as they
 * could when it was plain SHA-256. Histories begun before the keying (migration 0018) keep
 * verifying, and their keyed events cannot be downgraded to the unkeyed form.
 */

const T0 = Date.parse('2026-03-12T09:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const signing = signingKeyFromSeed(randomBytes(32));
const masterKey = randomBytes(32);
const chainKey = auditChainKey(masterKey);
const trust = { chainKey, trustedKeys: signing.publicKey };
const cipher = new MemoryCipher(chainKey);

function event(recordId: string, i: number): AuditEventInput {
  return {
    recordId,
    actorKind: i % 2 ? 'professional' : 'patient',
    actorId: i % 2 ? '10003456789' : 'hup7510',
    action: i % 2 ? 'open-document' : 'read-list',
    documentId: null,
    rule: i % 2 ? 'care-team' : 'holder',
    allowed: true,
    personal: i % 2 ? { actorName: 'Dr Marie Curie', profession: 'Médecin' } : null,
  };
}

type Row = StoredChainFields;

const hex = (bytes: Uint8Array) => `'\\x${Buffer.from(bytes).toString('hex')}'::bytea`;

describe('access history: the keyed chain', () => {
  let t: TestDatabase;
  let db: Kysely<any>;

  /** Runs SQL as the database's owner would, the audit triggers switched off meanwhile. */
  const asOwner = (statements: string) =>
    t.database.withSession((s) =>
      s.exec(`
        ALTER TABLE audit_event DISABLE TRIGGER USER;
        ALTER TABLE audit_head DISABLE TRIGGER USER;
        ALTER TABLE audit_chain_legacy DISABLE TRIGGER USER;
        ALTER TABLE audit_chain_keying DISABLE TRIGGER USER;
        ${statements};
        ALTER TABLE audit_event ENABLE TRIGGER USER;
        ALTER TABLE audit_head ENABLE TRIGGER USER;
        ALTER TABLE audit_chain_legacy ENABLE TRIGGER USER;
        ALTER TABLE audit_chain_keying ENABLE TRIGGER USER;`),
    );

  /** Appends as the code before migration 0018 did: hash = SHA-256(prev | encoding). */
  async function appendUnkeyed(recordId: string, i: number): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('audit_head')
        .values({ record_id: recordId, seq: 0, hash: GENESIS })
        .onConflict((oc) => oc.column('record_id').doNothing())
        .execute();
      const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).where('record_id', '=', recordId).forUpdate().executeTakeFirstOrThrow();
      const e = event(recordId, i);
      const personal = e.personal ? cipher.seal(recordId, Buffer.from(JSON.stringify(e.personal))) : null;
      const row: Row = {
        seq: Number(head.seq) + 1,
        occurred_at: at(i),
        actor_kind: e.actorKind,
        actor_id: e.actorId,
        action: e.action,
        document_id: null,
        rule: e.rule ?? null,
        allowed: e.allowed,
        personal,
      };
      const hash = chainHash(head.hash, chainFieldsOf(recordId, row), null);
      await trx
        .insertInto('audit_event')
        .values({ record_id: recordId, ...row, prev_hash: Buffer.from(head.hash), hash })
        .execute();
      await trx.updateTable('audit_head').set({ seq: row.seq, hash }).where('record_id', '=', recordId).execute();
    });
  }

  /**
   * What an attacker without the key can do: rewrite the events from `fromSeq` on (here, who
   * acted) and recompute their hashes and the head with plain SHA-256, the old scheme.
   */
  async function rewriteTailUnkeyed(recordId: string, fromSeq: number): Promise<void> {
    const rows = (await db.selectFrom('audit_event').selectAll().where('record_id', '=', recordId).orderBy('seq').execute()) as (Row & {
      hash: Uint8Array;
    })[];
    let prev: Uint8Array = GENESIS;
    const updates: string[] = [];
    for (const r of rows) {
      if (Number(r.seq) >= fromSeq) {
        const forged = { ...chainFieldsOf(recordId, r), actorId: 'intrus' };
        const hash = chainHash(prev, forged, null);
        updates.push(
          `UPDATE audit_event SET actor_id = 'intrus', prev_hash = ${hex(prev)}, hash = ${hex(hash)} WHERE record_id = '${recordId}' AND seq = ${r.seq}`,
        );
        prev = hash;
      } else prev = r.hash;
    }
    updates.push(`UPDATE audit_head SET hash = ${hex(prev)} WHERE record_id = '${recordId}'`);
    await asOwner(updates.join(';\n'));
  }

  const problems = async () => (await verifyTrail(db, trust)).records.problems;

  describe('a new installation', () => {
    before(async () => {
      t = await createTestDatabase();
      db = t.database.db;
    });
    after(async () => t.drop());

    it('finds the events after the last checkpoint rewritten and recomputed in plain SHA-256', async () => {
      const [a, b] = [randomUUID(), randomUUID()].sort() as [string, string];
      for (let i = 0; i < 4; i++) for (const r of [a, b]) await appendEvent(db, event(r, i), cipher, at(i));
      await publishCheckpoint(db, signing, at(10));
      for (let i = 4; i < 7; i++) for (const r of [a, b]) await appendEvent(db, event(r, i), cipher, at(i));
      assert.equal((await verifyTrail(db, trust)).ok, true);

      await rewriteTailUnkeyed(b, 5);
      const report = await verifyTrail(db, trust);
      assert.equal(report.ok, false, 'the old scheme let this pass: every hash recomputed, the checkpointed event 4 untouched');
      assert.deepEqual(report.records.problems, [{ recordId: b, firstBadSeq: 5, reason: 'altered' }]);
      assert.equal(report.checkpoints.ok, true, 'the checkpoint alone cannot see it: event 4 is as signed');
      assert.deepEqual((await verifyTrail(db, trust, { recordId: b })).records.problems, [{ recordId: b, firstBadSeq: 5, reason: 'altered' }], 'the patient’s check names it too');
      assert.equal((await verifyTrail(db, trust, { recordId: a })).ok, true);
    });

    it('finds an event cut from the middle after the last checkpoint, the rest renumbered and recomputed', async () => {
      const r = randomUUID();
      for (let i = 0; i < 6; i++) await appendEvent(db, event(r, i), cipher, at(i));
      await publishCheckpoint(db, signing, at(20));
      for (let i = 6; i < 10; i++) await appendEvent(db, event(r, i), cipher, at(i));
      await asOwner(`DELETE FROM audit_event WHERE record_id = '${r}' AND seq = 8;
        UPDATE audit_event SET seq = seq - 1 WHERE record_id = '${r}' AND seq > 8;
        UPDATE audit_head SET seq = seq - 1 WHERE record_id = '${r}'`);
      await rewriteTailUnkeyed(r, 8);
      assert.deepEqual((await problems()).filter((p) => p.recordId === r), [{ recordId: r, firstBadSeq: 8, reason: 'altered' }]);
    });

    it('finds the newest events cut after the last checkpoint, the head moved back to a valid event', async () => {
      const r = randomUUID();
      for (let i = 0; i < 4; i++) await appendEvent(db, event(r, i), cipher, at(i));
      await publishCheckpoint(db, signing, at(30));
      for (let i = 4; i < 7; i++) await appendEvent(db, event(r, i), cipher, at(i));
      await asOwner(`DELETE FROM audit_event WHERE record_id = '${r}' AND seq > 5;
        UPDATE audit_head SET seq = 5, hash = (SELECT hash FROM audit_event WHERE record_id = '${r}' AND seq = 5) WHERE record_id = '${r}'`);
      const report = await verifyTrail(db, trust, { recordId: r });
      assert.equal(report.checkpoints.ok, true, 'the checkpoint holds event 4, untouched: it cannot see this cut');
      assert.deepEqual(report.records.problems, [{ recordId: r, firstBadSeq: 6, reason: 'missing' }], 'the head no longer carries its MAC');
      await asOwner(`UPDATE audit_head SET tag = NULL WHERE record_id = '${r}'`);
      assert.deepEqual((await verifyTrail(db, trust, { recordId: r })).records.problems, [{ recordId: r, firstBadSeq: 6, reason: 'missing' }]);
    });

    it('is keyed from the first event, under the key from the master key: another key does not verify', async () => {
      const r = randomUUID();
      await appendEvent(db, event(r, 0), cipher, at(0));
      const report = await verifyTrail(db, { chainKey: auditChainKey(randomBytes(32)), trustedKeys: signing.publicKey }, { recordId: r });
      assert.deepEqual(report.records.problems, [{ recordId: r, firstBadSeq: 1, reason: 'altered' }]);
      assert.deepEqual(await sealLegacyChains(db, chainKey), { state: 'sealed-now', sealed: 0, refused: [] }, 'nothing legacy in a new installation');
    });
  });

  describe('an installation with histories from before the keying (migration 0018)', () => {
    let legacy: string, fresh: string, untouched: string;
    before(async () => {
      t = await createTestDatabase({ migrated: false });
      db = t.database.db;
      await migrate(t.database, readMigrations().filter((m) => m.version < 18));
      [legacy, untouched] = [randomUUID(), randomUUID()];
      for (let i = 0; i < 5; i++) await appendUnkeyed(legacy, i);
      for (let i = 0; i < 3; i++) await appendUnkeyed(untouched, i);
      await publishCheckpoint(db, signing, at(50));
      await appendUnkeyed(legacy, 5); // after the last checkpoint, before the upgrade
      assert.deepEqual(await migrateDatabase(t.database, masterKey), readMigrations().filter((m) => m.version >= 18).map((m) => m.version));
      await keyAuditTrail({ database: t.database, masterKey, logger: createLogger('silent') });
    });
    after(async () => t.drop());

    it('keeps the old histories verifying, and keys what comes after', async () => {
      for (let i = 6; i < 9; i++) await appendEvent(db, event(legacy, i), cipher, at(i));
      fresh = randomUUID();
      for (let i = 0; i < 3; i++) await appendEvent(db, event(fresh, i), cipher, at(i));
      await publishCheckpoint(db, signing, at(100));
      const report = await verifyTrail(db, trust);
      assert.equal(report.ok, true, JSON.stringify(report));
      assert.equal(report.records.events, 6 + 3 + 3 + 3);
      for (const r of [legacy, untouched, fresh]) assert.equal((await verifyTrail(db, trust, { recordId: r })).ok, true, r);
      const boundaries = await db.selectFrom('audit_chain_legacy').select(['record_id', 'keyed_from']).orderBy('record_id').execute();
      assert.deepEqual(
        boundaries.map((b) => [b.record_id, Number(b.keyed_from)]),
        [[legacy, 7], [untouched, 4]].sort(([x], [y]) => String(x).localeCompare(String(y))),
      );
      assert.equal((await sealLegacyChains(db, chainKey)).state, 'sealed', 'sealed once, then left alone');
    });

    it('catches the keyed events of an old history downgraded to the unkeyed form', async () => {
      await rewriteTailUnkeyed(legacy, 8);
      assert.deepEqual((await problems()).filter((p) => p.recordId === legacy), [{ recordId: legacy, firstBadSeq: 8, reason: 'altered' }]);
      await rewriteTailUnkeyed(legacy, 7);
      assert.deepEqual((await problems()).filter((p) => p.recordId === legacy), [{ recordId: legacy, firstBadSeq: 7, reason: 'altered' }], 'from the first keyed event');
    });

    it('catches a downgrade that also raises the boundary: the raised boundary no longer carries a valid seal', async () => {
      await asOwner(`UPDATE audit_chain_legacy SET keyed_from = 100 WHERE record_id = '${legacy}'`);
      const found = (await problems()).find((p) => p.recordId === legacy);
      assert.deepEqual(found, { recordId: legacy, firstBadSeq: 1, reason: 'altered' }, 'the record is keyed from 1 again: its unkeyed events do not pass');
    });

    it('catches a history begun after the keying passed off as an old one', async () => {
      await rewriteTailUnkeyed(fresh, 1);
      await asOwner(`INSERT INTO audit_chain_legacy (record_id, keyed_from) VALUES ('${fresh}', 4)`);
      assert.deepEqual((await problems()).find((p) => p.recordId === fresh), { recordId: fresh, firstBadSeq: 1, reason: 'altered' }, 'an unsealed boundary is ignored');
      // Clearing the keying's seal to have the forged boundary sealed at the next start does not work either.
      await asOwner(`UPDATE audit_chain_keying SET tag = NULL`);
      assert.equal((await sealLegacyChains(db, chainKey)).state, 'tampered');
      await asOwner(`UPDATE audit_chain_keying SET tag = ${hex(randomBytes(32))}`);
      assert.equal((await sealLegacyChains(db, chainKey)).state, 'tampered');
      assert.deepEqual((await problems()).find((p) => p.recordId === fresh), { recordId: fresh, firstBadSeq: 1, reason: 'altered' });
      assert.deepEqual((await problems()).find((p) => p.recordId === untouched), undefined, 'the other old history still verifies');
    });

    it('lets the service seal the boundaries, nothing else, and only once', async () => {
      await assert.rejects(sql`UPDATE audit_chain_legacy SET keyed_from = 1000 WHERE record_id = ${untouched}`.execute(db), /sealed once/);
      await assert.rejects(sql`INSERT INTO audit_chain_legacy (record_id, keyed_from) VALUES (${randomUUID()}, 5)`.execute(db), /sealed once/);
      await assert.rejects(sql`DELETE FROM audit_chain_legacy`.execute(db), /sealed once/);
      await assert.rejects(sql`UPDATE audit_chain_legacy SET tag = ${randomBytes(32)} WHERE record_id = ${untouched}`.execute(db), /sealed once/);
      await assert.rejects(sql`TRUNCATE audit_chain_keying`.execute(db), /append-only/);
    });
  });

  describe('sealing the boundaries at the first start', () => {
    before(async () => {
      t = await createTestDatabase({ migrated: false });
      db = t.database.db;
      await migrate(t.database, readMigrations().filter((m) => m.version < 18));
    });
    after(async () => t.drop());

    it('refuses a boundary past its head, written before the first start', async () => {
      const [ok, raised] = [randomUUID(), randomUUID()];
      for (const r of [ok, raised]) for (let i = 0; i < 3; i++) await appendUnkeyed(r, i);
      await migrateDatabase(t.database, masterKey);
      await asOwner(`UPDATE audit_chain_legacy SET keyed_from = 50 WHERE record_id = '${raised}'`);
      assert.deepEqual(await sealLegacyChains(db, chainKey), { state: 'sealed-now', sealed: 1, refused: [raised] });
      assert.deepEqual(await problems(), [{ recordId: raised, firstBadSeq: 1, reason: 'altered' }]);
    });
  });
});
