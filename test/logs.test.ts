import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';

/**
 * Logs go to operators and log platforms: they must never hold a NIR, a name,
 * a code, a password or a document. This drives full requests that carry all
 * of those (in the path, the query, the body, and a failure quoting them) and
 * reads every line that was logged.
 */
const SECRETS = {
  nir: '185054958815780',
  name: 'Dupont-Lajoie',
  code: '48213907',
  password: 'correct horse battery staple',
  content: 'Diagnostic : diabète de type 2',
  creationCode: 'RMGADQEP2KRG',
};

describe('logs of a full request', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({
      // A route written carelessly on purpose: it fails with personal data in its message.
      routes: (app) =>
        app.post(
          '/api/test-careless/:nir',
          { schema: { body: z.object({ name: z.string(), password: z.string() }) } },
          async () => {
            throw new Error(`cannot store ${SECRETS.nir} for ${SECRETS.name} with ${SECRETS.code} ${SECRETS.creationCode}`);
          },
        ),
    });
  });
  after(async () => t.close());

  it('holds no personal data, whatever the request carried', async () => {
    const client = new TestClient(t.app);
    const failing = await client.post(`/api/test-careless/${SECRETS.nir}?code=${SECRETS.code}&name=${SECRETS.name}`, {
      name: SECRETS.name,
      password: SECRETS.password,
      content: SECRETS.content,
    });
    assert.equal(failing.statusCode, 500);
    assert.ok(!failing.body.includes(SECRETS.nir), 'the answer does not echo the failure');
    assert.match(String(failing.headers['content-type']), /^application\/problem\+json/);
    assert.match(failing.json().detail, /Le service a rencontré un problème/);
    assert.ok(!failing.body.includes('    at '), 'no stack trace in the answer');
    const invalid = await client.post(`/api/test-careless/${SECRETS.nir}`, { name: 42, password: SECRETS.password });
    assert.equal(invalid.statusCode, 400);
    await t.app.inject({ method: 'GET', url: `/api/unknown/${SECRETS.nir}?password=${encodeURIComponent(SECRETS.password)}` });

    const log = t.logs.join('');
    assert.ok(t.logs.length >= 4, 'requests and the failure were logged');
    assert.match(log, /"route":"\/api\/test-careless\/:nir"/, 'the route pattern is logged');
    assert.match(log, /"status":500/);
    for (const [what, secret] of Object.entries(SECRETS)) {
      assert.ok(!log.includes(secret), `the log must not contain the ${what}`);
    }
    assert.ok(!log.includes(encodeURIComponent(SECRETS.password)));
  });
});
