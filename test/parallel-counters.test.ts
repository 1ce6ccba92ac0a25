import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { nirIndex } from '../src/accounts/identity';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { lastCode, queuedMessages } from './helpers/outbox';
import { DOMINIQUE, signedInPatient, STRONG_PASSWORD } from './helpers/patients';

/**
 * Security review, issue #11: the counters that stop guessing (one-time code tries, code
 * resends, wrong passwords, wrong creation codes) must hold when the requests come all at once, as a script
 * sends them, and not only one after the other. Each test fires its requests with
 * Promise.all and counts the answers exactly.
 */

const times = <T>(n: number, fn: () => Promise<T>) => Promise.all(Array.from({ length: n }, fn));
const messageOf = (res: LightMyRequestResponse): string => res.json().errors?.[0]?.message ?? res.json().detail ?? '';
const count = (answers: LightMyRequestResponse[], pattern: RegExp) => answers.filter((r) => pattern.test(messageOf(r))).length;

/** Nicolas DURAND (demo/insured-persons.csv): insured, with an email, no record yet. */
const NICOLAS = { nir: '185054958815725', serial: '1242687940214477', email: 'nicolas.durand@example.com' };

describe('counters under parallel requests', () => {
  let t: TestApp;
  let loginId: string;
  let addresses = 0;
  /** A new client from a new address: the per-address limits of one test do not spill into the next. */
  const newClient = () => new TestClient(t.app, `10.11.0.${++addresses}`);

  before(async () => {
    t = await startTestApp();
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ loginId } = await signedInPatient(t, DOMINIQUE));
  });
  after(async () => t.close());

  async function startLogin(client: TestClient) {
    const start = await client.post('/api/auth/login', { loginId, password: STRONG_PASSWORD });
    assert.equal(start.statusCode, 200, start.body);
    const code = await lastCode(t.ctx, 'login-code', DOMINIQUE.email);
    return { challengeId: start.json().challengeId as string, code, wrong: code === '00000000' ? '11111111' : '00000000' };
  }

  it('judges exactly five of twenty wrong codes sent at once, then refuses even the right code and a resend', async () => {
    const client = newClient();
    const { challengeId, code, wrong } = await startLogin(client);
    const answers = await times(20, () => client.post('/api/auth/login/verify', { challengeId, code: wrong }));
    assert.ok(answers.every((r) => r.statusCode === 400));
    assert.equal(count(answers, /n’est pas le bon/), 5, 'tries judged');
    assert.equal(count(answers, /Trop d’essais/), 15, 'tries refused');
    // Each count of tries left is told once: the five judgements came one after the other.
    const told = answers.map(messageOf).filter((m) => /n’est pas le bon/.test(m)).sort();
    assert.equal(new Set(told).size, 5);
    const right = await client.post('/api/auth/login/verify', { challengeId, code });
    assert.equal(right.statusCode, 400);
    assert.match(messageOf(right), /Trop d’essais/);
    // A new code would not give the tries back: asking for one starts over.
    const resend = await client.post('/api/auth/login/resend', { challengeId });
    assert.equal(resend.statusCode, 429);
    assert.match(messageOf(resend), /Recommencez depuis le début/);
  });

  it('sends exactly three new codes for ten resends asked at once, and keeps the tries already spent', async () => {
    const client = newClient();
    const { challengeId, wrong } = await startLogin(client);
    for (let i = 0; i < 2; i++) assert.equal((await client.post('/api/auth/login/verify', { challengeId, code: wrong })).statusCode, 400);
    const queued = (await queuedMessages(t.ctx, 'login-code')).length;
    const answers = await times(10, () => client.post('/api/auth/login/resend', { challengeId }));
    assert.equal(answers.filter((r) => r.statusCode === 200).length, 3, 'resends accepted');
    assert.equal(answers.filter((r) => r.statusCode === 429).length, 7, 'resends refused');
    assert.equal((await queuedMessages(t.ctx, 'login-code')).length - queued, 3, 'codes queued');
    const fresh = await lastCode(t.ctx, 'login-code', DOMINIQUE.email);
    const third = await client.post('/api/auth/login/verify', { challengeId, code: fresh === wrong ? '22222222' : wrong });
    assert.match(messageOf(third), /Il vous reste 2 essais/, 'two tries were spent before the resends');
    assert.equal((await client.post('/api/auth/login/verify', { challengeId, code: fresh })).statusCode, 200);
  });

  it('locks the account after five wrong passwords sent at once, counting every one', async () => {
    const client = newClient();
    const answers = await times(5, () => client.post('/api/auth/login', { loginId, password: 'pas-le-bon-mot-de-passe' }));
    assert.deepEqual(answers.map((r) => r.statusCode).sort(), [401, 401, 401, 401, 423]);
    const key = createHash('sha256').update(loginId).digest();
    const counted = await sql<{ failures: number }>`SELECT failures FROM login_failure WHERE identifier_hash = ${key}`.execute(t.ctx.database.db);
    assert.equal(counted.rows[0]?.failures, 5, 'wrong passwords counted');
    const right = await client.post('/api/auth/login', { loginId, password: STRONG_PASSWORD });
    assert.equal(right.statusCode, 423);
    assert.match(messageOf(right), /bloqué jusqu’à/);
  });

  it('blocks a creation code when the right one is judged right after the fifth wrong one', async (test) => {
    // The right code must be judged after the fifth wrong one, not merely sent with it: the test
    // holds the code's row lock while both requests line up behind it, the wrong one first. The
    // embedded database has one connection, which the test cannot hold while requests wait: this
    // one runs on PostgreSQL.
    if (t.ctx.database.kind !== 'postgres') return test.skip('needs a PostgreSQL server (DATABASE_URL)');
    const client = newClient();
    assert.equal((await client.post('/api/creation/code-requests', { nir: NICOLAS.nir, nirConfirmation: NICOLAS.nir })).statusCode, 202);
    const code = await lastCode(t.ctx, 'creation-code', NICOLAS.email);
    const create = (typed: string) =>
      client.post('/api/creation/records', { code: typed, nir: NICOLAS.nir, vitaleType: 'photo', vitaleSerial: NICOLAS.serial, email: NICOLAS.email, acceptTerms: true });
    for (let i = 0; i < 4; i++) assert.match(messageOf(await create('AAAAAAAAAAAA')), /pas valable/);
    const { fifth, right } = await t.ctx.database.withSession(async (session) => {
      await session.query('BEGIN');
      await session.query('SELECT id FROM creation_code WHERE nir_index = $1 FOR UPDATE', [nirIndex(t.ctx.masterKey, NICOLAS.nir)]);
      const fifth = create('AAAAAAAAAAAA');
      await waitersOnCodeLock(1);
      const right = create(code);
      await waitersOnCodeLock(2);
      await session.query('COMMIT');
      return { fifth: await fifth, right: await right };
    });
    assert.match(messageOf(fifth), /pas valable/);
    assert.equal(right.statusCode, 400, right.body);
    assert.match(messageOf(right), /bloqué/);
    const rows = await sql<{ failed_attempts: number }>`SELECT failed_attempts FROM creation_code WHERE nir_index = ${nirIndex(t.ctx.masterKey, NICOLAS.nir)}`.execute(t.ctx.database.db);
    assert.deepEqual(rows.rows.map((r) => r.failed_attempts), [5]);
  });

  /** Waits until `n` requests of this database wait for the creation codes' row lock (PostgreSQL). */
  async function waitersOnCodeLock(n: number) {
    for (let waited = 0; waited < 20_000; waited += 20) {
      // Only the codes' lock: requests also wait for each other, briefly, on the rate-limit counters.
      const waiting = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%from "creation_code"%for update%'`.execute(t.ctx.database.db);
      if (waiting.rows[0]!.n >= n) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail(`${n} requests never waited for the lock`);
  }
});
