import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { lastCode, queuedMessages } from './helpers/outbox';
import { DOMINIQUE, signedInPatient, STRONG_PASSWORD } from './helpers/patients';

/**
 * Security review, issue #11: the counters that stop guessing (one-time code tries, code
 * resends, wrong passwords) must hold when the requests come all at once, as a script
 * sends them, and not only one after the other. Each test fires its requests with
 * Promise.all and counts the answers exactly.
 */

const times = <T>(n: number, fn: () => Promise<T>) => Promise.all(Array.from({ length: n }, fn));
const messageOf = (res: LightMyRequestResponse): string => res.json().errors?.[0]?.message ?? res.json().detail ?? '';
const count = (answers: LightMyRequestResponse[], pattern: RegExp) => answers.filter((r) => pattern.test(messageOf(r))).length;

describe('counters under parallel requests', () => {
  let t: TestApp;
  let loginId: string;
  let addresses = 0;
  /** A new client from a new address: the per-address limits of one test do not spill into the next. */
  const newClient = () => new TestClient(t.app, `10.11.0.${++addresses}`);

  before(async () => {
    t = await startTestApp();
    await loadDemoDirectoriesIfEmpty(t.ctx.database);
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
});
