import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auditCipher } from '../src/audit/recorder';
import { readHistory } from '../src/audit/trail';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import type { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { DOMINIQUE, signedInPatient } from './helpers/patients';
import { CLAIRE_MARTIN, JULIEN_LEFEBVRE, PHILIPPE_LAMBERT, professionalClient } from './helpers/professionals';

/**
 * #11 finding 3: `GET /api/pro/records/:id` told any professional the patient's identity (birth
 * name, first names, birth date, sex), untraced, even where the policy refuses the record. The
 * identity now goes to whom the policy lets read, and every refusal is in the patient's history.
 */
describe('the identity on a professional’s record page', () => {
  let t: TestApp;
  let patient: TestClient;
  let recordId: string;
  let claire: TestClient;
  let julien: TestClient;
  let philippe: TestClient;

  const standing = async (client: TestClient) => {
    const res = await client.get(`/api/pro/records/${recordId}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { canRead: boolean; rule: string; patient: null | { birthName: string } };
  };
  const refusalsOf = async (rpps: string) => {
    const cipher = auditCipher(t.ctx.database.db, t.ctx.masterKey, t.clock.now());
    const events = await readHistory(t.ctx.database.db, recordId, cipher, { limit: 500 });
    return events.filter((e) => e.actorId === rpps && !e.allowed && e.action === 'read-list').map((e) => e.rule);
  };

  before(async () => {
    t = await startTestApp();
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ client: patient, recordId } = await signedInPatient(t, DOMINIQUE));
    claire = await professionalClient(t, CLAIRE_MARTIN);
    julien = await professionalClient(t, JULIEN_LEFEBVRE);
    philippe = await professionalClient(t, PHILIPPE_LAMBERT);
  });
  after(async () => t.close());

  it('gives the identity to the médecin traitant, and traces no refusal', async () => {
    const answer = await standing(claire);
    assert.equal(answer.canRead, true);
    assert.equal(answer.patient?.birthName, 'PAT-TROIS');
    assert.deepEqual(await refusalsOf(CLAIRE_MARTIN), []);
  });

  it('keeps it from a doctor the patient has not authorised, and traces the refusal', async () => {
    const answer = await standing(julien);
    assert.equal(answer.canRead, false);
    assert.equal(answer.patient, null);
    assert.deepEqual(await refusalsOf(JULIEN_LEFEBVRE), ['not-authorized']);
  });

  it('keeps it from an occupational doctor without the patient’s consent', async () => {
    const answer = await standing(philippe);
    assert.equal(answer.canRead, false);
    assert.equal(answer.patient, null);
    assert.deepEqual(await refusalsOf(PHILIPPE_LAMBERT), [answer.rule]);
  });

  it('keeps it from a blocked doctor, even one who had the patient’s consent', async () => {
    assert.equal((await julien.post(`/api/pro/records/${recordId}/consent`, { consent: true })).statusCode, 200);
    assert.equal((await standing(julien)).patient?.birthName, 'PAT-TROIS', 'authorised, he sees who she is');
    assert.equal((await patient.post(`/api/records/${recordId}/sharing/blocks`, { rpps: JULIEN_LEFEBVRE })).statusCode, 201);
    const answer = await standing(julien);
    assert.equal(answer.canRead, false);
    assert.equal(answer.patient, null);
    assert.deepEqual(await refusalsOf(JULIEN_LEFEBVRE), ['blocked-professional', 'not-authorized'], 'newest first');
  });

  it('keeps it from everyone once the record is closed, the médecin traitant included', async () => {
    assert.equal((await patient.post(`/api/records/${recordId}/closure`, { confirmed: true })).statusCode, 200);
    const answer = await standing(claire);
    assert.equal(answer.canRead, false);
    assert.equal(answer.patient, null);
    assert.deepEqual(await refusalsOf(CLAIRE_MARTIN), ['record-closed']);
  });
});
