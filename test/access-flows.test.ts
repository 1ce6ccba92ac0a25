import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import type { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { multipart } from './helpers/multipart';
import { DOMINIQUE, signedInPatient } from './helpers/patients';
import { CLAIRE_MARTIN, HELENE_BERNARD, JULIEN_LEFEBVRE, PHILIPPE_LAMBERT, professionalClient, THOMAS_MOREAU } from './helpers/professionals';

const pdfFile = (bytes: Buffer) => ({ name: 'doc.pdf', type: 'application/pdf', bytes });
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('who may see what, through the API', () => {
  let t: TestApp;
  let patient: TestClient;
  let recordId: string;
  let claire: TestClient;
  let julien: TestClient;
  const docs: Record<string, string> = {};

  const deposit = async (client: TestClient, typeCode: string, title: string) => {
    const body = multipart({ typeCode, title, careDate: '2026-02-01' }, pdfFile(PDF));
    const res = await client.request('POST', `/api/pro/records/${recordId}/documents`, body.payload, { headers: body.headers });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().documentId as string;
  };
  const list = (client: TestClient) => client.get(`/api/pro/records/${recordId}/documents?limit=100`);

  before(async () => {
    t = await startTestApp({ env: { BLOB_STORE: `file:${mkdtempSync(join(tmpdir(), 'access-blobs-'))}` } });
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ client: patient, recordId } = await signedInPatient(t, DOMINIQUE));
    claire = await professionalClient(t, CLAIRE_MARTIN);
    julien = await professionalClient(t, JULIEN_LEFEBVRE);
  });
  after(async () => t.close());

  it('says to the professional, before anything is opened, whether and why they may read', async () => {
    const summary = (await julien.get(`/api/pro/records/${recordId}`)).json();
    assert.equal(summary.canRead, false);
    assert.equal(summary.rule, 'not-authorized');
    assert.match(summary.explanation, /autoris/);
    // In his words, not the patient's (#13 point 7).
    assert.equal(
      summary.explanation,
      'Vous ne pouvez pas voir la liste des documents de ce patient car le patient ne vous a pas autorisé et vous ne faites pas partie de son équipe de soins.',
    );
  });

  it('lets the médecin traitant deposit and read without asking', async () => {
    docs.report = await deposit(claire, '11490-0', 'Lettre de liaison');
    docs.imaging = await deposit(claire, '18748-4', 'Radiographie du thorax');
    docs.prescription = await deposit(claire, '57833-6', 'Ordonnance');
    const res = await list(claire);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().total, 3);
    assert.match(res.json().explanation, /médecin traitant/);
  });

  it('refuses a GP without the patient’s consent, then lets her read once she declares it', async () => {
    const refused = await list(julien);
    assert.equal(refused.statusCode, 403);
    assert.match(refused.json().detail, /autoris|accord/i);
    assert.equal((await julien.post(`/api/pro/records/${recordId}/consent`, { consent: true })).statusCode, 200);
    const allowed = await list(julien);
    assert.equal(allowed.statusCode, 200);
    assert.equal(allowed.json().total, 3);
    const content = await julien.get(`/api/pro/records/${recordId}/documents/${docs.report}/content`);
    assert.equal(content.statusCode, 200);
    assert.deepEqual(content.rawPayload, PDF);
  });

  it('hides a masked document from her, not from the médecin traitant', async () => {
    assert.equal((await patient.post(`/api/records/${recordId}/documents/${docs.imaging}/mask`, { masked: true })).statusCode, 200);
    assert.deepEqual((await list(julien)).json().documents.map((d: { documentId: string }) => d.documentId).sort(), [docs.report, docs.prescription].sort());
    assert.equal((await julien.get(`/api/pro/records/${recordId}/documents/${docs.imaging}/content`)).statusCode, 403);
    assert.equal((await list(claire)).json().total, 3);
  });

  it('shows a pharmacist only the categories of his profession', async () => {
    const thomas = await professionalClient(t, THOMAS_MOREAU);
    await thomas.post(`/api/pro/records/${recordId}/consent`, { consent: true });
    const seen = (await list(thomas)).json().documents.map((d: { documentId: string }) => d.documentId);
    assert.deepEqual(seen, [docs.prescription], 'a prescription, not the discharge letter');
    assert.equal((await thomas.get(`/api/pro/records/${recordId}/documents/${docs.report}/content`)).statusCode, 403);
  });

  it('lets only the author replace, delete, and show to the patient what was hidden from her', async () => {
    const v2 = multipart({ title: 'Lettre de liaison (corrigée)' }, pdfFile(Buffer.concat([PDF, Buffer.from('% v2\n')])));
    const replaced = await claire.request('POST', `/api/pro/records/${recordId}/documents/${docs.report}/versions`, v2.payload, { headers: v2.headers });
    assert.equal(replaced.statusCode, 201, replaced.body);
    assert.equal(replaced.json().version, 2);
    const versions = (await claire.get(`/api/pro/records/${recordId}/documents/${docs.report}/versions`)).json().versions;
    assert.deepEqual(versions.map((v: { version: number; status: string }) => [v.version, v.status]), [[2, 'current'], [1, 'replaced']]);

    const thomas = await professionalClient(t, THOMAS_MOREAU);
    assert.equal((await thomas.request('DELETE', `/api/pro/records/${recordId}/documents/${docs.prescription}`)).statusCode, 403, 'not his document');

    const hidden = multipart({ typeCode: '11490-0', title: 'Annonce du diagnostic', hiddenFromPatient: 'true' }, pdfFile(PDF));
    const deposited = await claire.request('POST', `/api/pro/records/${recordId}/documents`, hidden.payload, { headers: hidden.headers });
    const hiddenId = deposited.json().documentId;
    const patientSees = async () => (await patient.get(`/api/records/${recordId}/documents?limit=100`)).json().documents.map((d: { documentId: string }) => d.documentId);
    assert.ok(!(await patientSees()).includes(hiddenId), 'not visible to the patient until explained');
    assert.equal((await claire.post(`/api/pro/records/${recordId}/documents/${hiddenId}/visible-to-patient`, {})).statusCode, 200);
    assert.ok((await patientSees()).includes(hiddenId));

    assert.equal((await claire.request('DELETE', `/api/pro/records/${recordId}/documents/${hiddenId}`)).statusCode, 204);
    assert.ok(!(await patientSees()).includes(hiddenId), 'deleted (logically)');
  });

  it('lets the médecin traitant read the access history, and no one else among professionals', async () => {
    const history = await claire.get(`/api/pro/records/${recordId}/history?limit=200`);
    assert.equal(history.statusCode, 200, history.body);
    const events = history.json().events as { actorName: string | null; action: string; allowed: boolean }[];
    assert.ok(events.some((e) => e.actorName === 'Julien LEFEBVRE' && e.action === 'open-document' && e.allowed));
    const refused = await julien.get(`/api/pro/records/${recordId}/history`);
    assert.equal(refused.statusCode, 403);
  });

  it('shows the patient who has access and why, and lets her block a professional but not her médecin traitant', async () => {
    const sharing = (await patient.get(`/api/records/${recordId}/sharing`)).json();
    assert.equal(sharing.treatingDoctor.rpps, CLAIRE_MARTIN);
    assert.ok(sharing.authorizations.some((a: { rpps: string; basis: string }) => a.rpps === JULIEN_LEFEBVRE && a.basis === 'consent_declared'));
    const blockDoctor = await patient.post(`/api/records/${recordId}/sharing/blocks`, { rpps: CLAIRE_MARTIN });
    assert.equal(blockDoctor.statusCode, 409);
    assert.equal((await patient.post(`/api/records/${recordId}/sharing/blocks`, { rpps: JULIEN_LEFEBVRE })).statusCode, 201);
    const refused = await list(julien);
    assert.equal(refused.statusCode, 403);
    assert.match(refused.json().detail, /bloqu/);
    assert.equal(refused.json().detail, 'Vous ne pouvez pas voir la liste des documents de ce patient car le patient vous a bloqué.');
    assert.equal((await julien.post(`/api/pro/records/${recordId}/consent`, { consent: true })).statusCode, 403, 'a blocked professional cannot declare consent');
    const depositWhileBlocked = multipart({ typeCode: '11490-0', title: 'x' }, pdfFile(PDF));
    const blockedDeposit = await julien.request('POST', `/api/pro/records/${recordId}/documents`, depositWhileBlocked.payload, { headers: depositWhileBlocked.headers });
    assert.equal(blockedDeposit.statusCode, 403);
    assert.equal((await patient.request('DELETE', `/api/records/${recordId}/sharing/blocks/${JULIEN_LEFEBVRE}`)).statusCode, 204);
    assert.equal((await list(julien)).statusCode, 403, 'the block ended her authorization: unblocking does not give it back');
    assert.equal((await julien.post(`/api/pro/records/${recordId}/consent`, { consent: true })).statusCode, 200);
    assert.equal((await list(julien)).statusCode, 200);
    assert.equal((await patient.request('DELETE', `/api/records/${recordId}/sharing/authorizations/${JULIEN_LEFEBVRE}`)).statusCode, 204);
    assert.equal((await list(julien)).statusCode, 403, 'a revoked authorization ends the access');
  });

  it('lets the SAMU regulator read in emergency mode, unless the patient refused it', async () => {
    const helene = await professionalClient(t, HELENE_BERNARD);
    assert.equal((await list(helene)).statusCode, 403);
    const opened = await helene.post(`/api/pro/records/${recordId}/emergency`, { mode: 'samu', reason: 'Appel au 15 : malaise' });
    assert.equal(opened.statusCode, 200, opened.body);
    assert.equal((await list(helene)).statusCode, 200);
    const off = await patient.put(`/api/records/${recordId}/sharing/emergency`, { breakGlass: true, samu: false, maskedInEmergency: false });
    assert.equal(off.statusCode, 200);
    assert.equal((await list(helene)).statusCode, 403, 'the refusal applies at once');
    const again = await helene.post(`/api/pro/records/${recordId}/emergency`, { mode: 'samu', reason: 'Nouvel appel au 15' });
    assert.equal(again.statusCode, 403);
  });

  it('ends a break-glass access by itself after 24 hours', async () => {
    const julienAgain = await professionalClient(t, JULIEN_LEFEBVRE);
    assert.equal((await julienAgain.post(`/api/pro/records/${recordId}/emergency`, { mode: 'break-glass', reason: 'Patiente inconsciente aux urgences' })).statusCode, 200);
    assert.equal((await list(julienAgain)).statusCode, 200);
    t.clock.advance(24 * 3600_000 + 1000);
    // (her session has ended meanwhile: she signs in again)
    assert.equal((await list(await professionalClient(t, JULIEN_LEFEBVRE))).statusCode, 403);
  });

  it('keeps the occupational doctor out, even with an ordinary consent, until the worker consents for this consultation', async () => {
    const philippe = await professionalClient(t, PHILIPPE_LAMBERT);
    assert.equal((await philippe.post(`/api/pro/records/${recordId}/consent`, { consent: true })).statusCode, 200);
    const refused = await list(philippe);
    assert.equal(refused.statusCode, 403);
    assert.match(refused.json().detail, /travail/);
    const gp = await professionalClient(t, JULIEN_LEFEBVRE);
    assert.equal((await gp.post(`/api/pro/records/${recordId}/occupational-consent`, { consent: true, consultationId: 'visite-1' })).statusCode, 403, 'only for the occupational doctor');
    const consented = await philippe.post(`/api/pro/records/${recordId}/occupational-consent`, { consent: true, consultationId: 'visite-2026-03-12' });
    assert.equal(consented.statusCode, 200, consented.body);
    assert.equal((await list(philippe)).statusCode, 200);
    t.clock.advance(4 * 3600_000 + 1000);
    assert.equal((await list(await professionalClient(t, PHILIPPE_LAMBERT))).statusCode, 403, 'the consent ends with the consultation');
  });

  it('traces each decision, denied ones too, with its rule', async () => {
    const { readHistory } = await import('../src/audit/trail');
    const { auditCipher } = await import('../src/audit/recorder');
    const events = await readHistory(t.ctx.database.db, recordId, auditCipher(t.ctx.database.db, t.ctx.masterKey, t.clock.now()), { limit: 500 });
    const byJulien = events.filter((e) => e.actorId === JULIEN_LEFEBVRE);
    assert.ok(byJulien.some((e) => !e.allowed && e.rule === 'blocked-professional'));
    assert.ok(byJulien.some((e) => e.allowed && e.action === 'open-document'));
    assert.ok(events.some((e) => e.action === 'emergency-access' && e.actorId === HELENE_BERNARD && e.allowed));
  });
});
