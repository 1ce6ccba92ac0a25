import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from './helpers/context';

describe('HTTP server', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it('answers liveness and readiness', async () => {
    const live = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(live.statusCode, 200);
    assert.deepEqual(live.json(), { status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready' });
  });

  it('answers unknown API addresses with problem+json and the request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here', headers: { 'x-request-id': 'support-ticket-1234' } });
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.equal(res.headers['x-request-id'], 'support-ticket-1234');
    const body = res.json();
    assert.equal(body.status, 404);
    assert.equal(body.requestId, 'support-ticket-1234');
    assert.equal(typeof body.detail, 'string');
  });

  it('makes up a request id when the incoming one is not usable', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': '<script>' } });
    assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.match(String(res.headers['strict-transport-security']), /max-age=31536000/);
  });

  it('publishes its OpenAPI description', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    assert.match(res.json().openapi, /^3\./);
  });

  it('serves the web app for page addresses (deep links)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/creer' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /<html lang="fr"/);
    const home = await t.app.inject({ method: 'GET', url: '/' });
    assert.equal(home.statusCode, 200);
    assert.equal(home.headers['cache-control'], 'no-cache');
  });

  it('answers a missing file with 404 rather than the app page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/assets/missing-file.js' });
    assert.equal(res.statusCode, 404);
  });

  it('never serves a file from outside the web app', async () => {
    for (const url of ['/assets/..%2f..%2f..%2fpackage.json', '/../package.json', '/dsfr/%2e%2e/%2e%2e/%2e%2e/package.json']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.ok(!res.body.includes('"name": "opendmp"'), `${url} must not reach package.json`);
    }
  });
});
