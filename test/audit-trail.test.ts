import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { publishCheckpoint, startCheckpointPublisher, verifyCheckpoints } from '../src/audit/checkpoints';
import { MemoryCipher } from './helpers/memory-cipher';
import { auditChainKey, auditTrailKeys } from '../src/audit/recorder';
import { resolveAuditSigningKey, signingKeyFromSeed } from '../src/audit/signing';
import { appendEvent, readHistory, type AuditEventInput } from '../src/audit/trail';
import { verifyTrail } from '../src/audit/verify';
import { auditVerifyCommand, formatTrailReport, parseAuditVerifyArgs } from '../src/app/cli/audit';
import { ManualClock } from '../src/platform/clock';
import { loadConfig } from '../src/platform/config';
import { resolveMasterKey } from '../src/platform/crypto/keys';
import type { AppContext } from '../src/platform/context';
import { openDatabase } from '../src/platform/db/database';
import { migrateDatabase } from '../src/app/cli/migrations';
import { createLogger } from '../src/platform/logging';
import { createTestDatabase, type TestDatabase } from './helpers/database';

const T0 = Date.parse('2026-03-12T09:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const key = signingKeyFromSeed(randomBytes(32));
const chainKey = randomBytes(32);
const trust = { chainKey, trustedKeys: key.publicKey };

function event(recordId: string, i: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    recordId,
    actorKind: i % 2 ? 'professional' : 'patient',
    actorId: i % 2 ? '10003456789' : 'hup7510',
    action: i % 2 ? 'open-document' : 'read-list',
    documentId: i % 2 ? '11111111-2222-4333-8444-555555555555' : null,
    rule: i % 2 ? 'care-team' : 'holder',
    allowed: true,
    personal: i % 2 ? { actorName: 'Dr Marie Curie', profession: 'Médecin', workplace: 'Hôpital Saint-Louis' } : null,
    ...overrides,
  };
}

async function appendMany(db: Kysely<any>, cipher: MemoryCipher, recordId: string, count: number, start = 0): Promise<void> {
  for (let i = start; i < start + count; i++) await appendEvent(db, event(recordId, i), cipher, at(i));
}

describe('access history: writing and reading', () => {
  let t: TestDatabase;
  let db: Kysely<any>;
  const cipher = new MemoryCipher(chainKey);
  before(async () => {
    t = await createTestDatabase();
    db = t.database.db;
  });
  after(async () => t.drop());

  it('numbers each record’s events 1, 2, 3… and reads them newest first with the personal part opened', async () => {
    const record = randomUUID();
    const other = randomUUID();
    await appendMany(db, cipher, record, 4);
    await appendMany(db, cipher, other, 2);
    const history = await readHistory(db, record, cipher, { limit: 10 });
    assert.deepEqual(history.map((e) => e.seq), [4, 3, 2, 1]);
    const opened = history.find((e) => e.seq === 2)!;
    assert.equal(opened.personalState, 'open');
    assert.deepEqual(opened.personal, { actorName: 'Dr Marie Curie', profession: 'Médecin', workplace: 'Hôpital Saint-Louis' });
    assert.equal(opened.action, 'open-document');
    assert.equal(opened.documentId, '11111111-2222-4333-8444-555555555555');
    assert.equal(opened.occurredAt.getTime(), at(1).getTime());
    const none = history.find((e) => e.seq === 1)!;
    assert.equal(none.personalState, 'none');
    assert.equal(none.personal, null);
    assert.deepEqual((await readHistory(db, other, cipher, { limit: 10 })).map((e) => e.seq), [2, 1]);
  });

  it('never stores the personal part in clear', async () => {
    const record = randomUUID();
    await appendEvent(db, event(record, 1, { personal: { actorName: 'Dr Jean Tartempion', reason: 'patient inconscient' } }), cipher, at(0));
    const rows = await sql<{ personal: Uint8Array }>`SELECT personal FROM audit_event WHERE record_id = ${record}`.execute(db);
    const stored = Buffer.from(rows.rows[0]!.personal).toString('latin1');
    assert.doesNotMatch(stored, /Tartempion|inconscient/);
  });

  it('filters by period, actor kind and action, and pages', async () => {
    const record = randomUUID();
    await appendMany(db, cipher, record, 10);
    const read = (q: Parameters<typeof readHistory>[3]) => readHistory(db, record, cipher, q).then((h) => h.map((e) => e.seq));
    assert.deepEqual(await read({ from: at(3), to: at(6), limit: 50 }), [6, 5, 4]);
    assert.deepEqual(await read({ actorKind: 'patient', limit: 50 }), [9, 7, 5, 3, 1]);
    assert.deepEqual(await read({ action: 'open-document', limit: 2 }), [10, 8]);
    assert.deepEqual(await read({ limit: 3, offset: 3 }), [7, 6, 5]);
    await assert.rejects(read({ limit: 0 }), RangeError);
    await assert.rejects(read({ limit: 5000 }), RangeError);
    await assert.rejects(readHistory(db, 'not-a-uuid', cipher, { limit: 1 }), TypeError);
  });

  it('keeps the chain verifiable once the patient’s key is destroyed, the personal part unreadable', async () => {
    const shredded = new MemoryCipher(chainKey);
    const record = randomUUID();
    await appendMany(db, shredded, record, 5);
    shredded.forget(record);
    const history = await readHistory(db, record, shredded, { limit: 10 });
    assert.deepEqual(history.map((e) => e.personalState), ['none', 'unreadable', 'none', 'unreadable', 'none']);
    assert.ok(history.every((e) => e.personal === null));
    assert.equal(history[1]!.actorId, '10003456789', 'the clear part stays');
    const report = await verifyTrail(db, trust, { recordId: record });
    assert.equal(report.ok, true, JSON.stringify(report));
    assert.equal(report.records.events, 5);
    await assert.rejects(appendEvent(db, event(record, 1), shredded, at(9)), /destroyed/, 'nothing new is sealed for a shredded record');
  });

  it('writes the event with the action it traces: a rolled-back action leaves no event and no gap', async () => {
    const record = randomUUID();
    await appendMany(db, cipher, record, 2);
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await appendEvent(trx, event(record, 2), cipher, at(2));
        throw new Error('the traced action failed');
      }),
      /traced action failed/,
    );
    await db.transaction().execute((trx) => appendEvent(trx, event(record, 3), cipher, at(3)));
    assert.deepEqual((await readHistory(db, record, cipher, { limit: 10 })).map((e) => [e.seq, e.occurredAt.getTime()]), [
      [3, at(3).getTime()],
      [2, at(1).getTime()],
      [1, at(0).getTime()],
    ]);
    assert.equal((await verifyTrail(db, trust, { recordId: record })).ok, true);
  });

  it('refuses a malformed event and writes nothing', async () => {
    const record = randomUUID();
    const bad: [string, Partial<AuditEventInput>][] = [
      ['recordId', { recordId: 'dossier-1' }],
      ['documentId', { documentId: 'doc-1' }],
      ['action', { action: 'erase-everything' as never }],
      ['actorKind', { actorKind: 'insurer' as never }],
      ['actorId', { actorId: '' }],
    ];
    for (const [name, change] of bad) {
      await assert.rejects(appendEvent(db, event(record, 0, change), cipher, at(0)), TypeError, name);
    }
    await assert.rejects(appendEvent(db, event(record, 0), cipher, new Date(NaN)), TypeError);
    assert.deepEqual(await readHistory(db, record, cipher, { limit: 10 }), []);
  });

  it('keeps every chain whole and gapless under 200 appends in parallel across 10 records', async () => {
    const records = Array.from({ length: 10 }, () => randomUUID());
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        db.transaction().execute((trx) => appendEvent(trx, event(records[i % 10]!, i), cipher, at(i))),
      ),
    );
    for (const record of records) {
      const seqs = (await readHistory(db, record, cipher, { limit: 100 })).map((e) => e.seq);
      assert.deepEqual(seqs, Array.from({ length: 20 }, (_, i) => 20 - i));
      const report = await verifyTrail(db, trust, { recordId: record });
      assert.equal(report.ok, true, JSON.stringify(report.records.problems));
    }
  });

  it('does not make one record wait for another (PostgreSQL)', { skip: !process.env.DATABASE_URL && 'one connection in PGlite' }, async () => {
    const a = randomUUID();
    const b = randomUUID();
    await appendMany(db, cipher, a, 1);
    const holding = await db.startTransaction().execute();
    try {
      await appendEvent(holding, event(a, 1), cipher, at(1));
      const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('record B waited for record A')), 5_000));
      await Promise.race([appendEvent(db, event(b, 0), cipher, at(2)), timeout]);
      let sameRecordDone = false;
      const sameRecord = appendEvent(db, event(a, 2), cipher, at(3)).then((r) => ((sameRecordDone = true), r));
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(sameRecordDone, false, 'a second event of record A waits for the first');
      await holding.commit().execute();
      assert.equal((await sameRecord).seq, 3);
    } finally {
      if (!holding.isCommitted) await holding.rollback().execute();
    }
  });

  it('measures the time to append one event', async (t) => {
    const records = Array.from({ length: 10 }, () => randomUUID());
    const n = 1_000;
    let started = performance.now();
    for (let i = 0; i < n; i++) await appendEvent(db, event(records[i % 10]!, i), cipher, at(i));
    const sequential = performance.now() - started;
    t.diagnostic(`${t.name} (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}), one at a time: ${n} events in ${sequential.toFixed(0)} ms, ` +
      `${(sequential / n).toFixed(2)} ms per event, ${Math.round((n / sequential) * 1000)} events/s`);
    for (const spread of [10, 100]) {
      const many = Array.from({ length: spread }, () => randomUUID());
      started = performance.now();
      await Promise.all(Array.from({ length: n }, (_, i) => appendEvent(db, event(many[i % spread]!, i), cipher, at(i))));
      const parallel = performance.now() - started;
      t.diagnostic(`all at once over ${spread} records: ${n} events in ${parallel.toFixed(0)} ms, ${Math.round((n / parallel) * 1000)} events/s`);
    }
    started = performance.now();
    const report = await verifyTrail(db, trust);
    t.diagnostic(`full verification: ${report.records.events} events of ${report.records.checked} records in ${(performance.now() - started).toFixed(0)} ms`);
    assert.equal(report.ok, true);
  });
});

describe('access history: signed checkpoints', () => {
  let t: TestDatabase;
  let db: Kysely<any>;
  const cipher = new MemoryCipher(chainKey);
  before(async () => {
    t = await createTestDatabase();
    db = t.database.db;
  });
  after(async () => t.drop());

  it('signs every head, stores only the heads that moved, and verifies', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await appendMany(db, cipher, a, 3);
    await appendMany(db, cipher, b, 2);
    const first = await publishCheckpoint(db, key, at(100));
    assert.deepEqual(first && { records: first.recordCount, moved: first.movedHeads }, { records: 2, moved: 2 });
    assert.equal(await publishCheckpoint(db, key, at(101)), null, 'nothing moved: no checkpoint');

    await appendMany(db, cipher, b, 1, 2);
    await appendMany(db, cipher, c, 1);
    const second = await publishCheckpoint(db, key, at(200));
    assert.deepEqual(second && { records: second.recordCount, moved: second.movedHeads }, { records: 3, moved: 2 });
    const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_checkpoint_head`.execute(db);
    assert.equal(stored.rows[0]!.n, 4);
    const again = await publishCheckpoint(db, key, at(201), { evenIfUnchanged: true });
    assert.equal(again?.movedHeads, 0);

    const report = await verifyCheckpoints(db, key.publicKey);
    assert.deepEqual({ ...report, latestAt: report.latestAt?.toISOString() }, {
      ok: true,
      count: 3,
      latestId: again!.id,
      latestAt: at(201).toISOString(),
      headsChecked: 3,
      problem: null,
    });
    const one = await verifyCheckpoints(db, key.publicKey, { recordId: b });
    assert.equal(one.ok, true);
    assert.equal(one.headsChecked, 1);
    const full = await verifyTrail(db, { chainKey, trustedKeys: [signingKeyFromSeed(randomBytes(32)).publicKey, key.publicKey] });
    assert.equal(full.ok, true, 'any of the trusted keys will do');
    assert.equal(full.records.checked, 3);
  });

  it('lets one publisher work at a time', async () => {
    await appendMany(db, cipher, randomUUID(), 1);
    const results = await Promise.all([publishCheckpoint(db, key, at(300)), publishCheckpoint(db, key, at(300))]);
    assert.equal(results.filter((r) => r !== null).length, 1);
    assert.equal((await verifyCheckpoints(db, key.publicKey)).ok, true);
  });

  it('publishes periodically from the running service', async () => {
    const clock = new ManualClock(at(400));
    const config = loadConfig({ NODE_ENV: 'test' });
    const ctx: AppContext = { config, database: t.database, clock, logger: createLogger('silent'), masterKey: randomBytes(32) };
    const serviceKey = resolveAuditSigningKey(config, ctx.masterKey);
    await appendMany(db, cipher, randomUUID(), 2);
    const publisher = startCheckpointPublisher(ctx, { intervalMs: 20 });
    try {
      for (let i = 0; i < 100 && !(await latestKeyIs(db, serviceKey.publicKey)); i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await publisher.stop();
    }
    assert.ok(await latestKeyIs(db, serviceKey.publicKey), 'a checkpoint signed with the service key');
  });
});

async function latestKeyIs(db: Kysely<any>, publicKey: Buffer): Promise<boolean> {
  const row = await sql<{ public_key: Uint8Array }>`SELECT public_key FROM audit_checkpoint ORDER BY id DESC LIMIT 1`.execute(db);
  return !!row.rows[0] && Buffer.from(row.rows[0].public_key).equals(publicKey);
}

describe('access history verification: HTTP and command line', () => {
  let t: TestDatabase;
  let ctx: AppContext;
  let dataDir: string;
  let cipher: MemoryCipher;
  const record = randomUUID();
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
    // The command line opens the database from the configuration: a server, or PGlite in DATA_DIR.
    t = process.env.DATABASE_URL ? await createTestDatabase() : await pgliteIn(join(dataDir, 'pglite'));
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, ...(t.url ? { DATABASE_URL: t.url } : {}) });
    // The master key the command line will find in DATA_DIR: it derives the chain's key from it.
    ctx = { config, database: t.database, clock: new ManualClock(), logger: createLogger('silent'), masterKey: resolveMasterKey(config) };
    cipher = new MemoryCipher(auditChainKey(ctx.masterKey));
    await appendMany(t.database.db, cipher, record, 3);
    await publishCheckpoint(t.database.db, resolveAuditSigningKey(config, ctx.masterKey), at(10));
  });
  after(async () => {
    await t.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports the whole trail and one record', async () => {
    // The report the command line prints (and the patient's verification reads), without the
    // HTTP route that once served it to anyone: it was never registered by the server.
    const keys = auditTrailKeys(ctx.config, ctx.masterKey);
    const all = await verifyTrail(ctx.database.db, keys, {});
    assert.equal(all.ok, true);
    assert.equal(all.records.events, 3);
    assert.equal(all.checkpoints.count, 1);
    const one = await verifyTrail(ctx.database.db, keys, { recordId: record });
    assert.equal(one.recordId, record);
    assert.equal(one.checkpoints.headsChecked, 1);
  });

  it('prints the report and exits non-zero when something is wrong', async () => {
    const masterKeyFile = process.env.DATABASE_URL ? null : join(dataDir, 'dev-master-key');
    const signingKey = resolveAuditSigningKey(ctx.config, ctx.masterKey).publicKey.toString('base64');
    if (masterKeyFile) await t.database.close(); // PGlite: one process at a time in DATA_DIR
    const ok = await captureCommand(['--public-key', signingKey]);
    assert.equal(ok.exitCode, 0, ok.out);
    assert.match(ok.out, /records checked: 1 \(3 événements \/ events\)/);
    assert.match(ok.out, /RESULT: the history is intact/);

    const untrusted = await captureCommand([`--public-key=${randomBytes(32).toString('base64')}`, '--record', record]);
    assert.equal(untrusted.exitCode, 1);
    assert.match(untrusted.out, /checkpoint 1: signed by an untrusted key/);
    assert.match(untrusted.out, /HISTORIQUE ALTÉRÉ/);

    const json = await captureCommand(['--json', '--public-key', signingKey]);
    assert.equal(JSON.parse(json.out).ok, true);
    if (masterKeyFile) t = await pgliteIn(join(dataDir, 'pglite'));
  });

  it('names every problem in French and in English', () => {
    const text = formatTrailReport({
      ok: false,
      recordId: null,
      records: { checked: 2, events: 9, problems: [{ recordId: record, firstBadSeq: 4, reason: 'missing' }], problemsTruncated: true },
      checkpoints: {
        ok: false,
        count: 2,
        latestId: 2,
        latestAt: at(0),
        headsChecked: 1,
        problem: { checkpointId: 2, reason: 'head-missing', recordId: record, seq: 6 },
      },
    });
    assert.match(text, new RegExp(`dossier ${record}, événement n° 4 : manquant`));
    assert.match(text, /event 4: missing/);
    assert.match(text, /and more damaged records/);
    assert.match(text, new RegExp(`checkpoint 2: a signed event is gone \\(dossier / record ${record}, événement / event 6\\)`));
  });

  it('refuses bad arguments with the usage', () => {
    assert.throws(() => parseAuditVerifyArgs(['--record', 'x']), /not a record id/);
    assert.throws(() => parseAuditVerifyArgs(['--public-key', 'AAAA']), /32 bytes/);
    assert.throws(() => parseAuditVerifyArgs(['--record']), /missing value/);
    assert.throws(() => parseAuditVerifyArgs(['--everything']), /Usage/);
    assert.deepEqual(parseAuditVerifyArgs([`--record=${record.toUpperCase()}`, '--json']), { recordId: record, publicKeys: [], json: true });
  });

  async function captureCommand(args: string[]): Promise<{ out: string; exitCode: number }> {
    const lines: string[] = [];
    const log = console.log;
    const previous = process.exitCode;
    process.exitCode = undefined;
    console.log = (...parts: unknown[]) => void lines.push(parts.join(' '));
    try {
      await auditVerifyCommand(ctx.config, args);
      return { out: lines.join('\n'), exitCode: Number(process.exitCode ?? 0) };
    } finally {
      console.log = log;
      process.exitCode = previous;
    }
  }
});

async function pgliteIn(dir: string): Promise<TestDatabase> {
  const database = await openDatabase({ pgliteDir: dir });
  await migrateDatabase(database, randomBytes(32));
  return { database, drop: () => database.close() };
}
