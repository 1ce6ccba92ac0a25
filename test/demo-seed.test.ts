import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBlobStore } from '../src/documents/blob-store';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from '../src/app/demo/seed';
import { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { lastCode } from './helpers/outbox';

describe('demo data', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { BLOB_STORE: `file:${mkdtempSync(join(tmpdir(), 'demo-blobs-'))}` } });
  });
  after(async () => t.close());

  it('creates the demo logins listed in the README, once, with the official examples and a care history in Dominique’s record', async () => {
    const store = createBlobStore(t.ctx.config);
    assert.deepEqual(await seedDemoData(t.ctx, store), { accounts: 2, documents: 7 });
    assert.deepEqual(await seedDemoData(t.ctx, store), { accounts: 0, documents: 0 }, 'a restart adds nothing');

    const client = new TestClient(t.app);
    const start = await client.post('/api/auth/login', { loginId: DEMO_ACCOUNTS[0].loginId, password: DEMO_PASSWORD });
    assert.equal(start.statusCode, 200, start.body);
    assert.equal(start.json().channel, 'email');
    const done = await client.post('/api/auth/login/verify', { challengeId: start.json().challengeId, code: await lastCode(t.ctx, 'login-code') });
    assert.deepEqual(done.json(), { firstLoginRequired: false });
    const me = (await client.get('/api/me')).json();
    const documents = (await client.get(`/api/records/${me.currentRecordId}/documents?limit=50`)).json();
    // The seven official examples, and the care history the insurance feed brought.
    assert.equal(documents.total, 8);
    const careHistory = documents.documents.filter((d: { title: string }) => d.title === 'Historique des remboursements');
    assert.deepEqual(careHistory.map((d: { typeCode: string; author: { name: string } }) => [d.typeCode, d.author.name]), [['REMB', 'Assurance Maladie']]);
  });
});
