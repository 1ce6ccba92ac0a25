import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';

/**
 * Security review, issue #11: the per-address limits count the client's address, which a
 * client must not be able to choose. X-Forwarded-For is believed only from the proxies listed
 * in TRUSTED_PROXIES (none by default), never from any loopback or private address.
 */

/** Sign-in tries allowed per address in 15 minutes (src/api/patient/accounts.ts, /api/auth/login). */
const LOGIN_TRIES_PER_ADDRESS = 30;

/** One more try than the limit, each with another forwarded address and another identifier (so only the address limit can stop them). */
async function triesWithRotatingForwardedFor(t: TestApp, from: string): Promise<number[]> {
  const client = new TestClient(t.app, from);
  const statuses: number[] = [];
  for (let i = 1; i <= LOGIN_TRIES_PER_ADDRESS + 1; i++) {
    const res = await client.request('POST', '/api/auth/login', { loginId: `zzz${1000 + i}`, password: 'pas-le-bon' }, {
      headers: { 'x-forwarded-for': `203.0.113.${i}` },
    });
    statuses.push(res.statusCode);
  }
  return statuses;
}

const wrongPasswords = Array.from({ length: LOGIN_TRIES_PER_ADDRESS }, () => 401);

describe('the client address behind a proxy', () => {
  describe('by default (TRUSTED_PROXIES empty)', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp();
    });
    after(async () => t.close());

    it('ignores X-Forwarded-For, even from loopback: a rotating header does not dodge the per-address limit', async () => {
      assert.deepEqual(await triesWithRotatingForwardedFor(t, '127.0.0.1'), [...wrongPasswords, 429]);
    });

    it('ignores it from a private address too', async () => {
      assert.deepEqual(await triesWithRotatingForwardedFor(t, '10.0.0.7'), [...wrongPasswords, 429]);
    });
  });

  describe('with TRUSTED_PROXIES=127.0.0.1', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({
        env: { TRUSTED_PROXIES: '127.0.0.1' },
        routes: (app) => app.get('/test/address', async (request) => ({ ip: request.ip })),
      });
    });
    after(async () => t.close());

    it('counts the forwarded address of a request coming through that proxy', async () => {
      const seen = await t.app.inject({ method: 'GET', url: '/test/address', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '198.51.100.4' } });
      assert.deepEqual(seen.json(), { ip: '198.51.100.4' });
      assert.deepEqual(await triesWithRotatingForwardedFor(t, '127.0.0.1'), [...wrongPasswords, 401]);
    });

    it('still ignores the header from any other address', async () => {
      const seen = await t.app.inject({ method: 'GET', url: '/test/address', remoteAddress: '10.0.0.8', headers: { 'x-forwarded-for': '198.51.100.4' } });
      assert.deepEqual(seen.json(), { ip: '10.0.0.8' });
      assert.deepEqual(await triesWithRotatingForwardedFor(t, '10.0.0.8'), [...wrongPasswords, 429]);
    });
  });
});
