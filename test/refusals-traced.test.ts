import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auditCipher } from '../src/audit/recorder';
import { readHistory } from '../src/audit/trail';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import type { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { DOMINIQUE, signedInPatient, type DemoPerson } from './helpers/patients';

/**
 * Every refusal on a record is traced with its rule (DOMAIN.md §6: denied attempts too), on
 * every door of the patient's side: someone signed in with another DMP tries each of them on
 * Dominique's record, and each attempt is one more refused event in Dominique's history.
 */

const MARIE_ANGE: DemoPerson = { nir: '279022A00415130', serial: '1551878266247194', email: 'marie-ange.santoni@example.com' };

describe('refusals on a record, traced on every door', () => {
  let t: TestApp;
  let recordId: string;
  let stranger: TestClient;
  let strangerLogin: string;
  const refusals = async () =>
    (await readHistory(t.ctx.database.db, recordId, auditCipher(t.ctx.database.db, t.ctx.masterKey, t.clock.now()), { limit: 1000 })).filter(
      (e) => e.actorId === strangerLogin && !e.allowed,
    );

  before(async () => {
    t = await startTestApp();
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ recordId } = await signedInPatient(t, DOMINIQUE));
    ({ client: stranger, loginId: strangerLogin } = await signedInPatient(t, MARIE_ANGE));
  });
  after(async () => t.close());

  const doors: [string, (c: TestClient) => Promise<{ statusCode: number; body: string }>][] = [
    ['documents', (c) => c.get(`/api/records/${recordId}/documents`)],
    ['a note', (c) => c.post(`/api/records/${recordId}/notes`, { title: 'Intrus', text: 'Texte.' })],
    ['sharing', (c) => c.get(`/api/records/${recordId}/sharing`)],
    ['a block', (c) => c.post(`/api/records/${recordId}/sharing/blocks`, { rpps: '10002458718' })],
    ['emergency switches', (c) => c.put(`/api/records/${recordId}/sharing/emergency`, { breakGlass: false, samu: false, maskedInEmergency: false })],
    ['caregivers', (c) => c.get(`/api/records/${recordId}/caregivers`)],
    ['history', (c) => c.get(`/api/records/${recordId}/history`)],
    ['history verification', (c) => c.get(`/api/records/${recordId}/history/verification`)],
    ['history download', (c) => c.get(`/api/records/${recordId}/history.csv`)],
    ['health profile', (c) => c.get(`/api/records/${recordId}/health-profile`)],
    ['life of the record', (c) => c.get(`/api/records/${recordId}/lifecycle`)],
    ['closing it', (c) => c.post(`/api/records/${recordId}/closure`, { confirmed: true })],
    ['the current record', (c) => c.put('/api/me/current-record', { recordId })],
  ];
  for (const [door, attempt] of doors) {
    it(`refuses ${door} and traces the refusal with its rule`, async () => {
      const before = (await refusals()).length;
      const res = await attempt(stranger);
      assert.ok(res.statusCode === 403 || res.statusCode === 404, `${door}: ${res.statusCode} ${res.body}`);
      const after = await refusals();
      assert.equal(after.length, before + 1, `${door}: one refused event`);
      assert.ok(after.every((e) => e.rule), 'with its rule');
    });
  }
});
