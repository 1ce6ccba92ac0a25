import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { hitRateLimit, purgeOldCounters, rateLimitSecret } from '../src/platform/rate-limit';
import { rateLimitGuard } from '../src/api/rate-limit';
import {
  clearSessionCookie,
  registerSessions,
  requirePatientSession,
  SESSION_COOKIE,
  setSessionCookie,
} from '../src/api/sessions';
import {
  createSession,
  findSession,
  purgeEndedSessions,
  revokeAllSessions,
  revokeSession,
  updateSessionData,
  type ActorKind,
} from '../src/accounts/sessions';
import { loadConfig } from '../src/platform/config';
import type { AppContext } from '../src/platform/context';
import { buildServer } from '../src/api/server';
import { CSRF_COOKIE, CSRF_HEADER, registerCsrf } from '../src/api/plugins/csrf';
import { startTestApp, type TestApp } from './helpers/context';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const testConfig = loadConfig({ NODE_ENV: 'test', DATA_DIR: './data/test' });

/**
 * The tiny routes these tests need. `routes` runs before the test app exists,
 * so the context is read through `current()` at request time.
 */
function addTestRoutes(app: FastifyInstance, current: () => AppContext): void {
  const ctx = {
    get database() {
      return current().database;
    },
    get clock() {
      return current().clock;
    },
    get masterKey() {
      return current().masterKey;
    },
  };
  registerSessions(app, ctx);
  registerCsrf(app, { config: testConfig });

  app.post<{ Body: { accountId: string; actorKind: ActorKind } }>('/test/sign-in', async (request, reply) => {
    const { token, session } = await createSession(ctx.database.db, ctx.masterKey, request.body, ctx.clock.now());
    setSessionCookie(reply, token, true);
    return { sessionId: session.id };
  });
  app.get('/test/me', { preHandler: requirePatientSession }, async (request) => ({
    accountId: request.session!.accountId,
    data: request.session!.data,
  }));
  app.put<{ Body: Record<string, unknown> }>('/test/me/data', { preHandler: requirePatientSession }, async (request) => {
    await updateSessionData(ctx.database.db, ctx.masterKey, request.session!.id, request.body);
    return { ok: true };
  });
  app.post('/test/sign-out', { preHandler: requirePatientSession }, async (request, reply) => {
    await revokeSession(ctx.database.db, request.session!.id, ctx.clock.now());
    clearSessionCookie(reply);
    return { ok: true };
  });
  app.post('/test/echo', async () => ({ ok: true }));
  app.post(
    '/test/limited',
    { preHandler: rateLimitGuard(ctx, (request) => [{ key: `test:${request.ip}`, limit: 3, windowSeconds: 600 }]) },
    async () => ({ ok: true }),
  );
}

function cookie(res: LightMyRequestResponse, name: string) {
  return res.cookies.find((c) => c.name === name);
}

describe('auth primitives over HTTP', () => {
  let t: TestApp;
  let csrf: string;
  before(async () => {
    t = await startTestApp({ routes: (app) => addTestRoutes(app, () => t.ctx) });
    const first = await t.app.inject({ method: 'GET', url: '/healthz' });
    csrf = cookie(first, CSRF_COOKIE)!.value;
  });
  after(async () => t.close());

  /** A request as the web app makes it: CSRF cookie and header, plus the session cookie if any. */
  function send(method: 'GET' | 'POST' | 'PUT', url: string, options: { session?: string; body?: object } = {}) {
    const cookies: Record<string, string> = { [CSRF_COOKIE]: csrf };
    if (options.session) cookies[SESSION_COOKIE] = options.session;
    return t.app.inject({
      method,
      url,
      cookies,
      headers: { [CSRF_HEADER]: csrf },
      ...(options.body ? { payload: options.body } : {}),
    });
  }

  async function signIn(accountId = 'hup7510', actorKind: ActorKind = 'patient') {
    const res = await send('POST', '/test/sign-in', { body: { accountId, actorKind } });
    assert.equal(res.statusCode, 200);
    return { token: cookie(res, SESSION_COOKIE)!.value, sessionId: res.json().sessionId as string, res };
  }

  describe('sessions', () => {
    it('sets an HttpOnly, Secure, SameSite=Strict session cookie without Max-Age', async () => {
      const { res } = await signIn();
      const header = [res.headers['set-cookie']].flat().find((h) => String(h).startsWith(`${SESSION_COOKIE}=`));
      assert.match(String(header), /; Path=\//);
      assert.match(String(header), /; HttpOnly/);
      assert.match(String(header), /; Secure/);
      assert.match(String(header), /; SameSite=Strict/);
      assert.doesNotMatch(String(header), /Max-Age|Expires/i);
    });

    it('recognises the patient, and says in French when nobody is signed in', async () => {
      const { token } = await signIn('abc1234');
      const me = await send('GET', '/test/me', { session: token });
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().accountId, 'abc1234');

      const anonymous = await send('GET', '/test/me');
      assert.equal(anonymous.statusCode, 401);
      assert.match(String(anonymous.headers['content-type']), /^application\/problem\+json/);
      assert.equal(anonymous.json().detail, 'Connectez-vous pour accéder à cette page.');
      const forged = await send('GET', '/test/me', { session: 'A'.repeat(43) });
      assert.equal(forged.statusCode, 401);
      const garbage = await send('GET', '/test/me', { session: 'not a token' });
      assert.equal(garbage.statusCode, 401);
    });

    it('keeps patient pages for patients', async () => {
      const { token } = await signIn('10003456789', 'professional');
      const res = await send('GET', '/test/me', { session: token });
      assert.equal(res.statusCode, 403);
    });

    it('stores only a digest of the token', async () => {
      const { token, sessionId } = await signIn();
      const rows = await sql<{ token_hash: Uint8Array; row: string }>`
        SELECT token_hash, row_to_json(s)::text AS row FROM session s WHERE id = ${sessionId}`.execute(t.ctx.database.db);
      const row = rows.rows[0]!;
      assert.equal(row.token_hash.length, 32);
      const raw = Buffer.from(token, 'base64url');
      assert.equal(raw.length, 32);
      for (const form of [token, raw.toString('hex'), raw.toString('base64')]) assert.ok(!row.row.includes(form));
      assert.ok(!Buffer.from(row.token_hash).equals(raw));
    });

    it('ends after 30 minutes without activity, and activity keeps it open', async () => {
      const { token } = await signIn();
      for (let i = 0; i < 3; i++) {
        t.clock.advance(29 * MINUTE);
        assert.equal((await send('GET', '/test/me', { session: token })).statusCode, 200, `visit ${i + 1}`);
      }
      t.clock.advance(30 * MINUTE);
      assert.equal((await send('GET', '/test/me', { session: token })).statusCode, 401);
    });

    it('notes activity at most once a minute', async () => {
      const { token, sessionId } = await signIn();
      const lastSeen = async () =>
        (await sql<{ at: Date }>`SELECT last_seen_at AS at FROM session WHERE id = ${sessionId}`.execute(t.ctx.database.db))
          .rows[0]!.at.getTime();
      const opened = await lastSeen();
      t.clock.advance(59_000);
      await send('GET', '/test/me', { session: token });
      assert.equal(await lastSeen(), opened);
      t.clock.advance(1_000);
      await send('GET', '/test/me', { session: token });
      assert.equal(await lastSeen(), t.clock.now().getTime());
    });

    it('ends 12 hours after sign-in, however active', async () => {
      const { token } = await signIn();
      for (let elapsed = 0; elapsed < 12 * HOUR - 20 * MINUTE; elapsed += 20 * MINUTE) {
        t.clock.advance(20 * MINUTE);
        assert.equal((await send('GET', '/test/me', { session: token })).statusCode, 200);
      }
      t.clock.advance(20 * MINUTE); // 12 h exactly
      assert.equal((await send('GET', '/test/me', { session: token })).statusCode, 401);
    });

    it('keeps data for the session', async () => {
      const { token } = await signIn();
      const data = { selectedRecord: 'r-123', wizard: { step: 2, done: [1] } };
      assert.equal((await send('PUT', '/test/me/data', { session: token, body: data })).statusCode, 200);
      assert.deepEqual((await send('GET', '/test/me', { session: token })).json().data, data);
      // Kept sealed (finding 14 of issue 11): the table holds neither the record nor the wizard in clear.
      const stored = await sql<{ sealed: Uint8Array }>`SELECT sealed_data AS sealed FROM session`.execute(t.ctx.database.db);
      const mine = stored.rows.map((r) => Buffer.from(r.sealed)).filter((b) => b.length > 40);
      assert.ok(mine.length >= 1);
      for (const bytes of mine) assert.ok(!bytes.includes('wizard') && !bytes.includes('r-123'), 'session data in clear');
    });

    it('ends at sign-out and clears the cookie', async () => {
      const { token } = await signIn();
      const out = await send('POST', '/test/sign-out', { session: token });
      assert.equal(out.statusCode, 200);
      const cleared = cookie(out, SESSION_COOKIE)!;
      assert.equal(cleared.value, '');
      assert.ok(cleared.expires! <= new Date());
      assert.equal((await send('GET', '/test/me', { session: token })).statusCode, 401);
    });

    it('revokes every session of an account but the current one (password change)', async () => {
      const db = t.ctx.database.db;
      const now = t.clock.now();
      const current = await createSession(db, t.ctx.masterKey, { accountId: 'pwd1234', actorKind: 'patient' }, now);
      const other = await createSession(db, t.ctx.masterKey, { accountId: 'pwd1234', actorKind: 'patient' }, now);
      const stranger = await createSession(db, t.ctx.masterKey, { accountId: 'xyz9876', actorKind: 'patient' }, now);
      assert.equal(await revokeAllSessions(db, 'pwd1234', now, current.session.id), 1);
      assert.notEqual(await findSession(db, t.ctx.masterKey, current.token, now), null);
      assert.equal(await findSession(db, t.ctx.masterKey, other.token, now), null);
      assert.notEqual(await findSession(db, t.ctx.masterKey, stranger.token, now), null);
      assert.equal(await revokeAllSessions(db, 'pwd1234', now), 1);
      assert.equal(await findSession(db, t.ctx.masterKey, current.token, now), null);
    });

    it('purges sessions that can no longer be used', async () => {
      const db = t.ctx.database.db;
      const now = t.clock.now();
      const alive = await createSession(db, t.ctx.masterKey, { accountId: 'live123', actorKind: 'patient' }, now);
      const revoked = await createSession(db, t.ctx.masterKey, { accountId: 'gone123', actorKind: 'patient' }, now);
      await revokeSession(db, revoked.session.id, now);
      const purged = await purgeEndedSessions(db, now);
      assert.ok(purged >= 1);
      assert.notEqual(await findSession(db, t.ctx.masterKey, alive.token, now), null);
      t.clock.advance(12 * HOUR);
      await purgeEndedSessions(db, t.clock.now());
      const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM session`.execute(db);
      assert.equal(left.rows[0]!.n, 0);
    });
  });

  describe('CSRF', () => {
    it('hands out a readable token cookie to a request without one', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/healthz' });
      const header = [res.headers['set-cookie']].flat().find((h) => String(h).startsWith(`${CSRF_COOKIE}=`));
      assert.match(String(header), /^dmp_csrf=[A-Za-z0-9_-]{43}; Path=\/; Secure; SameSite=Strict$/);
      const again = await t.app.inject({ method: 'GET', url: '/healthz', cookies: { [CSRF_COOKIE]: csrf } });
      assert.equal(cookie(again, CSRF_COOKIE), undefined);
    });

    it('refuses a state-changing request without the header, or with another value', async () => {
      const expected = 'La demande n’a pas pu être vérifiée. Rechargez la page et réessayez.';
      const cases: { cookies: Record<string, string>; headers: Record<string, string> }[] = [
        { cookies: { [CSRF_COOKIE]: csrf }, headers: {} },
        { cookies: { [CSRF_COOKIE]: csrf }, headers: { [CSRF_HEADER]: csrf.slice(0, -1) + (csrf.endsWith('A') ? 'B' : 'A') } },
        { cookies: { [CSRF_COOKIE]: csrf }, headers: { [CSRF_HEADER]: 'short' } },
        { cookies: {}, headers: { [CSRF_HEADER]: csrf } },
        { cookies: {}, headers: {} },
      ];
      for (const [i, c] of cases.entries()) {
        for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
          const res = await t.app.inject({ method, url: '/test/echo', ...c });
          assert.equal(res.statusCode, 403, `case ${i} ${method}`);
          assert.equal(res.json().detail, expected);
        }
      }
      // The refusal hands out a token when there was none, so that a reload can succeed.
      const res = await t.app.inject({ method: 'POST', url: '/test/echo' });
      assert.match(cookie(res, CSRF_COOKIE)!.value, /^[A-Za-z0-9_-]{43}$/);
    });

    it('lets through the request repeating its cookie in the header', async () => {
      const res = await send('POST', '/test/echo');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { ok: true });
    });

    it('leaves reading requests alone', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(res.statusCode, 200);
    });

    it('exempts requests authenticated by a Bearer token (no ambient credential)', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/test/echo', headers: { authorization: 'Bearer abc.def.ghi' } });
      assert.equal(res.statusCode, 200);
      assert.equal(cookie(res, CSRF_COOKIE), undefined);
      const notBearer = await t.app.inject({ method: 'POST', url: '/test/echo', headers: { authorization: 'Basic dXNlcjpwdw==' } });
      assert.equal(notBearer.statusCode, 403);
    });

    it('does not exempt a cookie session that also sends a Bearer header', async () => {
      const { token } = await signIn('brr1234');
      // A bogus Authorization header next to the session cookie, and no CSRF header.
      const forged = await t.app.inject({
        method: 'PUT',
        url: '/test/me/data',
        cookies: { [CSRF_COOKIE]: csrf, [SESSION_COOKIE]: token },
        headers: { authorization: 'Bearer abc.def.ghi' },
        payload: { forged: true },
      });
      assert.equal(forged.statusCode, 403);
      assert.equal(forged.json().type, 'https://opendmp.fr/problemes/csrf');
      assert.deepEqual((await send('GET', '/test/me', { session: token })).json().data, {}, 'nothing written');
      // Software keeping our CSRF cookie, but with no session, is still judged on its token alone.
      const software = await t.app.inject({ method: 'POST', url: '/test/echo', cookies: { [CSRF_COOKIE]: csrf }, headers: { authorization: 'Bearer abc.def.ghi' } });
      assert.equal(software.statusCode, 200);
    });

    it('checks Origin when the browser sends it: the service itself or the request’s own host', async () => {
      const withOrigin = (origin: string) =>
        t.app.inject({
          method: 'POST',
          url: '/test/echo',
          cookies: { [CSRF_COOKIE]: csrf },
          headers: { [CSRF_HEADER]: csrf, origin },
        });
      assert.equal((await withOrigin(testConfig.PUBLIC_URL)).statusCode, 200);
      assert.equal((await withOrigin('http://localhost:80')).statusCode, 200); // inject's own host
      assert.equal((await withOrigin('https://evil.example')).statusCode, 403);
      assert.equal((await withOrigin('http://localhost:3001')).statusCode, 403);
      assert.equal((await withOrigin('null')).statusCode, 403);
    });
  });

  describe('rate limit', () => {
    const secret = randomBytes(32);
    it('refuses with 429 and retry-after past the limit, then lets through in the next window', async () => {
      t.clock.set(new Date('2026-03-12T10:00:00Z'));
      for (let i = 0; i < 3; i++) assert.equal((await send('POST', '/test/limited')).statusCode, 200);
      t.clock.advance(4 * MINUTE);
      const refused = await send('POST', '/test/limited');
      assert.equal(refused.statusCode, 429);
      assert.equal(refused.headers['retry-after'], String(6 * 60));
      assert.equal(refused.json().detail, 'Trop de tentatives. Réessayez dans 6 minutes.');
      t.clock.advance(6 * MINUTE);
      assert.equal((await send('POST', '/test/limited')).statusCode, 200);
    });

    it('stores digests, not the keys', async () => {
      const rows = await sql<{ key: string }>`SELECT key FROM rate_limit_counter`.execute(t.ctx.database.db);
      assert.ok(rows.rows.length > 0);
      for (const { key } of rows.rows) {
        assert.match(key, /^[0-9a-f]{64}$/);
        assert.ok(!key.includes('127.0.0.1'));
      }
      // A MAC under the service's secret: a plain hash of a guessed address would be found in the table.
      const guessed = createHash('sha256').update('test:127.0.0.1').digest('hex');
      assert.ok(!rows.rows.some((r) => r.key === guessed));
      const mac = createHmac('sha256', rateLimitSecret(t.ctx.masterKey)).update('test:127.0.0.1').digest('hex');
      assert.ok(rows.rows.some((r) => r.key === mac));
    });

    it('is shared by every app node using the same database', async () => {
      t.clock.set(new Date('2026-03-12T11:00:00Z'));
      const second = await buildServer(t.ctx);
      addTestRoutes(second, () => t.ctx);
      await second.ready();
      try {
        const on = (app: FastifyInstance) =>
          app.inject({ method: 'POST', url: '/test/limited', cookies: { [CSRF_COOKIE]: csrf }, headers: { [CSRF_HEADER]: csrf } });
        assert.equal((await on(t.app)).statusCode, 200);
        assert.equal((await on(second)).statusCode, 200);
        assert.equal((await on(t.app)).statusCode, 200);
        assert.equal((await on(second)).statusCode, 429);
        assert.equal((await on(t.app)).statusCode, 429);
      } finally {
        await second.close();
      }
    });

    it('counts concurrent hits exactly (one atomic upsert each)', async () => {
      const db = t.ctx.database.db;
      const now = new Date('2026-03-12T12:00:00Z');
      const rule = { key: 'concurrent', limit: 10, windowSeconds: 60 };
      const results = await Promise.all(Array.from({ length: 25 }, () => hitRateLimit(db, rule, now, secret)));
      assert.deepEqual(results.map((r) => r.hits).sort((a, b) => a - b), Array.from({ length: 25 }, (_, i) => i + 1));
      assert.equal(results.filter((r) => r.allowed).length, 10);
      assert.ok(results.filter((r) => !r.allowed).every((r) => r.retryAfterSeconds === 60));
    });

    it('purges the counters of ended windows', async () => {
      const db = t.ctx.database.db;
      const now = new Date('2026-03-20T12:00:00Z');
      await hitRateLimit(db, { key: 'recent', limit: 1, windowSeconds: 60 }, now, secret);
      assert.ok((await purgeOldCounters(db, now)) >= 1);
      const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM rate_limit_counter`.execute(db);
      assert.equal(left.rows[0]!.n, 1);
    });

    it('refuses a window it could not purge in time', async () => {
      await assert.rejects(hitRateLimit(t.ctx.database.db, { key: 'k', limit: 1, windowSeconds: 2 * 24 * 3600 }, t.clock.now(), secret), RangeError);
    });
  });
});
