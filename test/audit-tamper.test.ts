import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { CheckpointRefused, publishCheckpoint, verifyCheckpoints } from '../src/audit/checkpoints';
import { sealLegacyChains } from '../src/audit/legacy';
import { MemoryCipher } from './helpers/memory-cipher';
import { signingKeyFromSeed } from '../src/audit/signing';
import { appendEvent, readHistory, type AuditEventInput } from '../src/audit/trail';
import { verifyTrail } from '../src/audit/verify';
import { openDatabase } from '../src/platform/db/database';
import { createTestDatabase, type TestDatabase } from './helpers/database';

/**
 * DOMAIN.md §6: "nobody, operator included, can erase or rewrite the history unnoticed".
 * Each case plays someone with the database owner's rights, who switches the append-only
 * triggers off and edits the tables directly; verification must name what was done, where.
 */

const T0 = Date.parse('2026-03-12T09:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const key = signingKeyFromSeed(randomBytes(32));
const chainKey = randomBytes(32);
const trust = { chainKey, trustedKeys: key.publicKey };
const EVENTS = 6;

function event(recordId: string, i: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    recordId,
    actorKind: i % 2 ? 'professional' : 'patient',
    actorId: i % 2 ? '10003456789' : 'hup7510',
    action: i % 2 ? 'open-document' : 'read-list',
    documentId: i % 2 ? '11111111-2222-4333-8444-555555555555' : null,
    rule: i % 2 ? 'care-team' : 'holder',
    allowed: i % 3 !== 0,
    personal: i % 2 ? { actorName: 'Dr Marie Curie', profession: 'Médecin' } : null,
    ...overrides,
  };
}

describe('access history: tampering is found', () => {
  let t: TestDatabase;
  let db: Kysely<any>;
  let a: string, b: string, c: string;
  const cipher = new MemoryCipher(chainKey);

  /** Runs SQL as an owner would, with the append-only triggers switched off meanwhile. */
  const asOwner = (statements: string) =>
    t.database.withSession((s) =>
      s.exec(`
        ALTER TABLE audit_event DISABLE TRIGGER USER;
        ALTER TABLE audit_head DISABLE TRIGGER USER;
        ALTER TABLE audit_checkpoint DISABLE TRIGGER USER;
        ALTER TABLE audit_checkpoint_head DISABLE TRIGGER USER;
        ${statements};
        ALTER TABLE audit_event ENABLE TRIGGER USER;
        ALTER TABLE audit_head ENABLE TRIGGER USER;
        ALTER TABLE audit_checkpoint ENABLE TRIGGER USER;
        ALTER TABLE audit_checkpoint_head ENABLE TRIGGER USER;`),
    );
  const problems = async () => (await verifyTrail(db, trust)).records.problems;
  const refusalsOf = async (round: Promise<unknown>) => {
    await round;
    return collected.splice(0).map((r) => r.recordId);
  };
  const collected: CheckpointRefused[] = [];
  const collect = (r: CheckpointRefused) => collected.push(r);
  const checkpointProblem = async () => (await verifyCheckpoints(db, key.publicKey)).problem;

  // One database (opening one is the slow part); each case starts from an empty history.
  before(async () => {
    t = await createTestDatabase();
    db = t.database.db;
  });
  after(async () => t.drop());

  beforeEach(async () => {
    await asOwner('TRUNCATE audit_event, audit_head, audit_checkpoint, audit_checkpoint_head RESTART IDENTITY');
    // Sorted, so that the order of the report (by record id) is known.
    [a, b, c] = [randomUUID(), randomUUID(), randomUUID()].sort() as [string, string, string];
    for (let i = 0; i < EVENTS; i++) {
      for (const record of [a, b, c]) await appendEvent(db, event(record, i), cipher, at(i));
    }
  });

  it('starts from an intact trail', async () => {
    const report = await verifyTrail(db, trust);
    assert.equal(report.ok, true);
    assert.deepEqual(report.records, { checked: 3, events: 3 * EVENTS, problems: [], problemsTruncated: false });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the history in the database itself', async () => {
    const refused = /append-only|only moves forward/;
    await assert.rejects(sql`UPDATE audit_event SET action = 'login' WHERE record_id = ${b} AND seq = 2`.execute(db), refused);
    await assert.rejects(sql`DELETE FROM audit_event WHERE record_id = ${b} AND seq = ${EVENTS}`.execute(db), refused);
    await assert.rejects(sql`TRUNCATE audit_event`.execute(db), refused);
    await assert.rejects(sql`DELETE FROM audit_head WHERE record_id = ${b}`.execute(db), refused);
    await assert.rejects(sql`UPDATE audit_head SET seq = seq - 1 WHERE record_id = ${b}`.execute(db), refused);
    await assert.rejects(sql`TRUNCATE audit_head`.execute(db), refused);
    await publishCheckpoint(db, key, at(100));
    await assert.rejects(sql`UPDATE audit_checkpoint SET record_count = 0`.execute(db), refused);
    await assert.rejects(sql`DELETE FROM audit_checkpoint`.execute(db), refused);
    await assert.rejects(sql`DELETE FROM audit_checkpoint_head`.execute(db), refused);
    await assert.rejects(sql`TRUNCATE audit_checkpoint, audit_checkpoint_head`.execute(db), refused);
    assert.equal((await verifyTrail(db, trust)).ok, true, 'nothing changed');
  });

  it('(a) names the record and the seq of an altered event', async () => {
    await asOwner(`UPDATE audit_event SET action = 'login' WHERE record_id = '${b}' AND seq = 3`);
    assert.deepEqual(await problems(), [{ recordId: b, firstBadSeq: 3, reason: 'altered' }]);
    const one = await verifyTrail(db, trust, { recordId: b });
    assert.deepEqual(one.records.problems, [{ recordId: b, firstBadSeq: 3, reason: 'altered' }]);
    assert.equal((await verifyTrail(db, trust, { recordId: a })).ok, true, 'other records stay trusted');
  });

  it('(a) also finds an altered time, rule, personal part or refusal turned into permission', async () => {
    await asOwner(`
      UPDATE audit_event SET occurred_at = occurred_at + interval '1 hour' WHERE record_id = '${a}' AND seq = 5;
      UPDATE audit_event SET allowed = true WHERE record_id = '${b}' AND seq = 1;
      UPDATE audit_event SET personal = NULL WHERE record_id = '${c}' AND seq = 2`);
    assert.deepEqual(await problems(), [
      { recordId: a, firstBadSeq: 5, reason: 'altered' },
      { recordId: b, firstBadSeq: 1, reason: 'altered' },
      { recordId: c, firstBadSeq: 2, reason: 'altered' },
    ]);
  });

  it('(b) names a deleted event as missing', async () => {
    await asOwner(`DELETE FROM audit_event WHERE record_id = '${b}' AND seq = 3`);
    assert.deepEqual(await problems(), [{ recordId: b, firstBadSeq: 3, reason: 'missing' }]);
  });

  it('(c) names the first of two swapped events as reordered', async () => {
    await asOwner(`
      UPDATE audit_event SET seq = 1000 WHERE record_id = '${b}' AND seq = 2;
      UPDATE audit_event SET seq = 2 WHERE record_id = '${b}' AND seq = 5;
      UPDATE audit_event SET seq = 5 WHERE record_id = '${b}' AND seq = 1000`);
    assert.deepEqual(await problems(), [{ recordId: b, firstBadSeq: 2, reason: 'reordered' }]);
  });

  it('(d) finds the end of a chain cut after a checkpoint, even with the head moved back', async () => {
    await publishCheckpoint(db, key, at(100));
    assert.equal(await checkpointProblem(), null);
    await asOwner(`DELETE FROM audit_event WHERE record_id = '${b}' AND seq > 4`);
    assert.deepEqual(await problems(), [{ recordId: b, firstBadSeq: 5, reason: 'missing' }], 'the head still says 6');
    assert.deepEqual(await checkpointProblem(), { checkpointId: 1, reason: 'head-missing', recordId: b, seq: EVENTS });

    // A careful attacker also moves the head back: the chain is whole, but the head's MAC is that of event 6.
    await asOwner(`UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_event WHERE record_id = '${b}' AND seq = 4) WHERE record_id = '${b}'`);
    assert.deepEqual(await problems(), [{ recordId: b, firstBadSeq: 5, reason: 'missing' }], 'the head moved back without its MAC');
    const report = await verifyTrail(db, trust);
    assert.equal(report.ok, false);
    assert.deepEqual(report.checkpoints.problem, { checkpointId: 1, reason: 'head-missing', recordId: b, seq: EVENTS });
    assert.equal((await verifyTrail(db, trust, { recordId: b })).ok, false, 'the record alone says so too');
    assert.equal((await verifyTrail(db, trust, { recordId: a })).ok, true);
    const round = publishCheckpoint(db, key, at(200), { onRefused: collect });
    assert.equal(await round, null, 'nothing else moved: no new checkpoint');
    assert.deepEqual(await refusalsOf(round), [b], 'the cut is reported');
    assert.deepEqual(await checkpointProblem(), { checkpointId: 1, reason: 'head-missing', recordId: b, seq: EVENTS }, 'the cut is never signed over');
  });

  it('(d) finds a chain end rewritten after a checkpoint with valid hashes', async () => {
    await publishCheckpoint(db, key, at(100));
    await asOwner(`
      DELETE FROM audit_event WHERE record_id = '${b}' AND seq > 4;
      UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_event WHERE record_id = '${b}' AND seq = 4) WHERE record_id = '${b}'`);
    for (let i = 4; i < EVENTS; i++) await appendEvent(db, event(b, i, { action: 'read-list', allowed: true }), cipher, at(i));
    assert.deepEqual(await problems(), [], 'a recomputed chain is whole');
    assert.deepEqual(await checkpointProblem(), { checkpointId: 1, reason: 'head-altered', recordId: b, seq: EVENTS });
    const refusals: CheckpointRefused[] = [];
    await publishCheckpoint(db, key, at(200), { onRefused: (r) => refusals.push(r) });
    assert.match(refusals.map((r) => r.message).join(), /no longer holds event 6/);
    assert.deepEqual(await checkpointProblem(), { checkpointId: 1, reason: 'head-altered', recordId: b, seq: EVENTS }, 'the rewrite is never signed over');
  });

  it('(d) finds a whole record’s history removed after a checkpoint', async () => {
    await publishCheckpoint(db, key, at(100));
    await asOwner(`DELETE FROM audit_event WHERE record_id = '${c}'; DELETE FROM audit_head WHERE record_id = '${c}'`);
    assert.deepEqual(await problems(), []);
    assert.deepEqual(await checkpointProblem(), { checkpointId: 1, reason: 'head-missing', recordId: c, seq: EVENTS });
    const refusals: CheckpointRefused[] = [];
    await publishCheckpoint(db, key, at(200), { onRefused: (r) => refusals.push(r) });
    assert.match(refusals.map((r) => r.message).join(), /lost the head of its history/);
    assert.deepEqual(await checkpointProblem(), { checkpointId: 1, reason: 'head-missing', recordId: c, seq: EVENTS }, 'the removal is never signed over');
  });

  it('(d) keeps checkpointing the healthy records when one record was tampered with, and names the damaged one', async () => {
    await publishCheckpoint(db, key, at(100));
    await asOwner(`DELETE FROM audit_event WHERE record_id = '${b}' AND seq > 4;
      UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_event WHERE record_id = '${b}' AND seq = 4) WHERE record_id = '${b}'`);
    for (const record of [a, c]) await appendEvent(db, event(record, EVENTS), cipher, at(150));
    const refusals: CheckpointRefused[] = [];
    const published = await publishCheckpoint(db, key, at(200), { onRefused: (r) => refusals.push(r) });
    assert.deepEqual(refusals.map((r) => r.recordId), [b]);
    assert.equal(published?.movedHeads, 2, 'the healthy records moved on and are signed');
    const signed = await db.selectFrom('audit_checkpoint_head').select(['record_id', 'seq']).where('checkpoint_id', '=', published!.id).orderBy('record_id').execute();
    assert.deepEqual(signed.map((h) => [h.record_id, Number(h.seq)]), [[a, EVENTS + 1], [c, EVENTS + 1]]);
    const report = await verifyTrail(db, trust);
    assert.equal(report.ok, false);
    assert.deepEqual(report.checkpoints.problem, { checkpointId: published!.id, reason: 'head-missing', recordId: b, seq: EVENTS }, 'audit:verify names it');
    assert.equal((await verifyTrail(db, trust, { recordId: a })).ok, true);
    // The next round goes on as well.
    await appendEvent(db, event(a, EVENTS + 1), cipher, at(250));
    assert.equal((await publishCheckpoint(db, key, at(300), { onRefused: () => {} }))?.movedHeads, 1);
  });

  it('(d) finds signed heads edited to hide a cut', async () => {
    await publishCheckpoint(db, key, at(100));
    await asOwner(`
      DELETE FROM audit_event WHERE record_id = '${b}' AND seq > 4;
      UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_event WHERE record_id = '${b}' AND seq = 4) WHERE record_id = '${b}';
      UPDATE audit_checkpoint_head SET seq = 4, hash = (SELECT hash FROM audit_event WHERE record_id = '${b}' AND seq = 4) WHERE record_id = '${b}'`);
    assert.deepEqual(await checkpointProblem(), { checkpointId: 1, reason: 'digest-mismatch' });
  });

  it('(e) refuses a forged checkpoint signature', async () => {
    await publishCheckpoint(db, key, at(100));
    await appendEvent(db, event(a, EVENTS), cipher, at(EVENTS));
    await publishCheckpoint(db, key, at(200));
    assert.equal(await checkpointProblem(), null);
    await asOwner(`UPDATE audit_checkpoint SET signature = '\\x${randomBytes(64).toString('hex')}'::bytea WHERE id = 1`);
    assert.deepEqual(await checkpointProblem(), { checkpointId: 1, reason: 'bad-signature' });
    const quick = await verifyCheckpoints(db, key.publicKey, { recordId: a });
    assert.deepEqual(quick.problem, { checkpointId: 2, reason: 'bad-signature' }, 'the next signature covers the forged one');
  });

  it('(e) refuses a checkpoint whose signed facts were changed', async () => {
    await publishCheckpoint(db, key, at(100));
    await asOwner(`UPDATE audit_checkpoint SET record_count = 2, created_at = created_at + interval '1 day'`);
    assert.deepEqual(await checkpointProblem(), { checkpointId: 1, reason: 'bad-signature' });
  });

  it('(e) refuses a checkpoint signed with a key that is not trusted', async () => {
    await publishCheckpoint(db, key, at(100));
    await asOwner(`DELETE FROM audit_event WHERE record_id = '${b}' AND seq > 4; UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_event WHERE record_id = '${b}' AND seq = 4) WHERE record_id = '${b}'`);
    // The attacker signs over the cut with a key of their own, and removes the honest checkpoint.
    await asOwner(`DELETE FROM audit_checkpoint_head; DELETE FROM audit_checkpoint`);
    const forged = await publishCheckpoint(db, signingKeyFromSeed(randomBytes(32)), at(200));
    assert.ok(forged);
    assert.deepEqual(await checkpointProblem(), { checkpointId: forged.id, reason: 'untrusted-key' });
  });

  it('(e) notices a checkpoint removed from the middle of the series', async () => {
    for (let round = 1; round <= 3; round++) {
      await appendEvent(db, event(a, EVENTS + round), cipher, at(EVENTS + round));
      await publishCheckpoint(db, key, at(100 * round));
    }
    await asOwner(`DELETE FROM audit_checkpoint WHERE id = 2`);
    assert.deepEqual(await checkpointProblem(), { checkpointId: 3, reason: 'bad-signature' });
  });
});

describe('access history: the application’s role (PostgreSQL)', { skip: !process.env.DATABASE_URL && 'roles need PostgreSQL' }, () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(async () => t.drop());

  it('may not UPDATE, DELETE or TRUNCATE the history, even with the triggers switched off', async () => {
    const record = randomUUID();
    await appendEvent(t.database.db, event(record, 0), new MemoryCipher(chainKey), at(0));
    await t.database.withSession(async (s) => {
      await s.exec('ALTER TABLE audit_event DISABLE TRIGGER USER');
      await s.exec('SET ROLE opendmp_app');
      try {
        await assert.rejects(s.exec(`UPDATE audit_event SET action = 'login'`), /permission denied for table audit_event/);
        await assert.rejects(s.exec(`DELETE FROM audit_event`), /permission denied for table audit_event/);
        await assert.rejects(s.exec(`TRUNCATE audit_event`), /permission denied for table audit_event/);
        await assert.rejects(s.exec(`ALTER TABLE audit_event ENABLE TRIGGER USER`), /must be owner/);
        assert.equal((await s.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_event'))[0]!.n, 1);
      } finally {
        await s.exec('RESET ROLE');
        await s.exec('ALTER TABLE audit_event ENABLE TRIGGER USER');
      }
    });
  });

  it('is enough to append, read, checkpoint and verify', async () => {
    const url = new URL(t.url!);
    url.searchParams.set('options', '-c role=opendmp_app');
    const app = await openDatabase({ url: url.toString() });
    try {
      const who = await sql<{ role: string }>`SELECT current_user AS role`.execute(app.db);
      assert.equal(who.rows[0]!.role, 'opendmp_app');
      const cipher = new MemoryCipher(chainKey);
      const record = randomUUID();
      for (let i = 0; i < 3; i++) await appendEvent(app.db, event(record, i), cipher, at(i));
      assert.equal((await readHistory(app.db, record, cipher, { limit: 10 })).length, 3);
      assert.ok(await publishCheckpoint(app.db, key, at(10)));
      assert.equal((await sealLegacyChains(app.db, chainKey)).state, 'sealed-now', 'it seals the keying at the first start');
      assert.equal((await verifyTrail(app.db, trust)).ok, true);
      await assert.rejects(sql`UPDATE audit_event SET allowed = true`.execute(app.db), /permission denied/);
    } finally {
      await app.close();
    }
  });
});
