import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { startHousekeeping } from '../src/platform/periodic';
import { HOUSEKEEPING_JOBS } from '../src/app/cli/housekeeping-jobs';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { DOMINIQUE, signedInPatient, STRONG_PASSWORD } from './helpers/patients';

const count = async (t: TestApp, table: string) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(t.ctx.database.db)).rows[0]!.n;

/** The worker's clean-up rounds remove what can no longer be used, and only that. */
describe('housekeeping', () => {
  let t: TestApp;
  let loginId: string;
  before(async () => {
    t = await startTestApp();
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ loginId } = await signedInPatient(t, DOMINIQUE));
  });
  after(async () => t.close());

  it('keeps what is in use, then removes ended sessions, old counters, expired codes and stale failures', async () => {
    const stranger = new TestClient(t.app, '10.3.0.1');
    assert.equal((await stranger.post('/api/auth/login', { loginId, password: 'Pas-le-bon-mot-de-passe' })).statusCode, 401);
    assert.equal((await stranger.post('/api/auth/login', { loginId, password: STRONG_PASSWORD })).statusCode, 200);
    assert.equal((await stranger.post('/api/auth/login', { loginId: 'xyz9999', password: 'Pas-le-bon-mot-de-passe' })).statusCode, 401);
    const keeper = startHousekeeping(t.ctx, HOUSEKEEPING_JOBS, { start: false });
    const before = { sessions: await count(t, 'session'), counters: await count(t, 'rate_limit_counter'), challenges: await count(t, 'auth_challenge'), failures: await count(t, 'login_failure') };
    assert.ok(before.sessions > 0 && before.counters > 0 && before.challenges > 0 && before.failures > 0);

    const now = await keeper.runOnce();
    assert.deepEqual(Object.values(now), [0, 0, 0, 0], 'nothing in use is removed');

    t.clock.advance(2 * 24 * 3600_000);
    const later = await keeper.runOnce();
    assert.deepEqual(later, {
      'ended sessions': before.sessions,
      'rate-limit counters': before.counters,
      'expired one-time codes': before.challenges,
      'stale password failures': before.failures,
    });
    for (const table of ['session', 'rate_limit_counter', 'auth_challenge', 'login_failure']) assert.equal(await count(t, table), 0, table);
    await keeper.stop();
  });
});
