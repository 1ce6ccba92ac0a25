import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decide } from '../src/access/policy';
import { loadAccessState } from '../src/access/state';
import { auditCipher } from '../src/audit/recorder';
import { readHistory } from '../src/audit/trail';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { multipart } from './helpers/multipart';
import { lastCode, queuedMessages } from './helpers/outbox';
import { DOMINIQUE, signedInPatient, STRONG_PASSWORD, type DemoPerson } from './helpers/patients';

/** Proches aidants (DOMAIN.md §1): invited by the titulaire, read and add documents, nothing more. */

const CAREGIVER_PASSWORD = 'Galet-Fougère-Lanterne-73';
const AIDANT = { firstName: 'Camille', lastName: 'Aidant', email: 'camille.aidant@example.org', mobile: '06 11 22 33 44' };
const AIDANT_MOBILE = '+33611223344';
const DAY = 24 * 3600_000;
const ELODIE: DemoPerson = { nir: '287094410927272', serial: '1115613774503792', email: 'elodie.durand@example.com' };

describe('caregivers (proches aidants)', () => {
  let t: TestApp;
  let patient: TestClient;
  let recordId: string;
  let caregiver: TestClient;
  let caregiverLogin: string;
  let patientNoteId: string;
  const blobDir = mkdtempSync(join(tmpdir(), 'blobs-'));
  const ok = (res: { statusCode: number; body: string }, status = 200) => assert.equal(res.statusCode, status, res.body);
  const events = () => readHistory(t.ctx.database.db, recordId, auditCipher(t.ctx.database.db, t.ctx.masterKey, t.clock.now()), { limit: 1000 });
  const invite = (who: { firstName: string; lastName: string; email: string }) => patient.post(`/api/records/${recordId}/caregivers`, who);

  before(async () => {
    t = await startTestApp({ env: { BLOB_STORE: `file:${blobDir}` } });
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ client: patient, recordId } = await signedInPatient(t, DOMINIQUE));
    const note = await patient.post(`/api/records/${recordId}/notes`, { title: 'Mes rendez-vous', text: 'Cardiologue le 3 avril.' });
    ok(note, 201);
    patientNoteId = note.json().documentId;
  });
  after(async () => t.close());

  it('the titulaire invites: an email with a single-use code is queued; a 4th active invitation is refused', async () => {
    ok(await invite(AIDANT), 201);
    const [message] = await queuedMessages(t.ctx, 'caregiver-invitation');
    assert.deepEqual(message!.to, { email: AIDANT.email });
    assert.match(await lastCode(t.ctx, 'caregiver-invitation', AIDANT.email), /^[A-Z0-9]{12}$/);
    ok(await invite({ firstName: 'Lou', lastName: 'Deux', email: 'lou.deux@example.org' }), 201);
    ok(await invite({ firstName: 'Sam', lastName: 'Trois', email: 'sam.trois@example.org' }), 201);
    const fourth = await invite({ firstName: 'Max', lastName: 'Quatre', email: 'max.quatre@example.org' });
    assert.equal(fourth.statusCode, 409, fourth.body);
    assert.match(fourth.json().detail, /3 proches aidants/);
    const listed = (await patient.get(`/api/records/${recordId}/caregivers`)).json().caregivers;
    assert.deepEqual(listed.map((c: { lastName: string }) => c.lastName).sort(), ['Aidant', 'Deux', 'Trois']);
    assert.ok(listed.every((c: { status: string }) => c.status === 'invited'));
    // Removing a pending invitation frees a place.
    const sam = listed.find((c: { lastName: string }) => c.lastName === 'Trois');
    ok(await patient.request('DELETE', `/api/records/${recordId}/caregivers/${sam.caregiverId}`), 204);
    assert.equal((await patient.get(`/api/records/${recordId}/caregivers`)).json().caregivers.length, 2);
  });

  it('refuses a wrong code, or the right code with another email', async () => {
    const anonymous = new TestClient(t.app, '10.20.0.1');
    const code = await lastCode(t.ctx, 'caregiver-invitation', AIDANT.email);
    const wrong = await anonymous.post('/api/caregiver-invitations/check', { code: 'AAAABBBBCCCC', email: AIDANT.email });
    assert.equal(wrong.statusCode, 400, wrong.body);
    const otherEmail = await anonymous.post('/api/caregiver-invitations/accept', {
      code, email: 'someone.else@example.org', mobile: AIDANT.mobile, newPassword: CAREGIVER_PASSWORD, newPasswordConfirmation: CAREGIVER_PASSWORD,
    });
    assert.equal(otherEmail.statusCode, 400, otherEmail.body);
    assert.equal(otherEmail.json().errors[0].field, 'code');
  });

  it('accepts with a new caregiver login; the caregiver signs in with password and code like anyone', async () => {
    const anonymous = new TestClient(t.app, '10.20.0.2');
    const code = await lastCode(t.ctx, 'caregiver-invitation', AIDANT.email);
    const checked = await anonymous.post('/api/caregiver-invitations/check', { code: code.toLowerCase(), email: AIDANT.email.toUpperCase() });
    ok(checked);
    assert.match(checked.json().patientName, /PAT-TROIS/);
    const weak = await anonymous.post('/api/caregiver-invitations/accept', { code, email: AIDANT.email, mobile: AIDANT.mobile, newPassword: 'abc', newPasswordConfirmation: 'abc' });
    assert.equal(weak.statusCode, 400, weak.body);
    const accepted = await anonymous.post('/api/caregiver-invitations/accept', {
      code, email: AIDANT.email, mobile: AIDANT.mobile, newPassword: CAREGIVER_PASSWORD, newPasswordConfirmation: CAREGIVER_PASSWORD,
    });
    ok(accepted, 201);
    caregiverLogin = accepted.json().loginId;
    assert.match(caregiverLogin, /^[a-z]{3}\d{4,}$/);
    const again = await anonymous.post('/api/caregiver-invitations/accept', {
      code, email: AIDANT.email, mobile: AIDANT.mobile, newPassword: CAREGIVER_PASSWORD, newPasswordConfirmation: CAREGIVER_PASSWORD,
    });
    assert.equal(again.statusCode, 400, 'single use');

    caregiver = new TestClient(t.app, '10.20.0.3');
    const start = await caregiver.post('/api/auth/login', { loginId: caregiverLogin, password: CAREGIVER_PASSWORD });
    ok(start);
    assert.equal(start.json().channel, 'sms');
    ok(await caregiver.post('/api/auth/login/verify', { challengeId: start.json().challengeId, code: await lastCode(t.ctx, 'login-code', AIDANT_MOBILE) }));
    const me = (await caregiver.get('/api/me')).json();
    assert.equal(me.kind, 'caregiver');
    assert.equal(me.currentRecordId, recordId);
    assert.deepEqual(me.records.map((r: { role: string }) => r.role), ['caregiver']);
    ok(await caregiver.put('/api/me/current-record', { recordId }));
    const listed = (await patient.get(`/api/records/${recordId}/caregivers`)).json().caregivers;
    assert.equal(listed.find((c: { lastName: string }) => c.lastName === 'Aidant').status, 'active');
  });

  it('the caregiver lists, opens and adds documents, never sees masked ones; all traced as caregiver', async () => {
    const hidden = await patient.post(`/api/records/${recordId}/notes`, { title: 'Pour moi seul', text: 'Privé.' });
    ok(hidden, 201);
    ok(await patient.post(`/api/records/${recordId}/documents/${hidden.json().documentId}/mask`, { masked: true }));

    const list = await caregiver.get(`/api/records/${recordId}/documents`);
    ok(list);
    const ids = list.json().documents.map((d: { documentId: string }) => d.documentId);
    assert.ok(ids.includes(patientNoteId));
    assert.ok(!ids.includes(hidden.json().documentId), 'a masked document stays with the patient');
    ok(await caregiver.get(`/api/records/${recordId}/documents/${patientNoteId}`));
    ok(await caregiver.get(`/api/records/${recordId}/documents/${patientNoteId}/content`));
    assert.equal((await caregiver.get(`/api/records/${recordId}/documents/${hidden.json().documentId}/content`)).statusCode, 403);

    const body = multipart({ title: 'Ordonnance scannée', typeCode: 'DOCPAT01' }, { name: 'ordonnance.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n') });
    ok(await caregiver.request('POST', `/api/records/${recordId}/documents`, body.payload, { headers: body.headers }), 201);
    // Masking is a sharing decision: not theirs.
    assert.equal((await caregiver.post(`/api/records/${recordId}/documents/${patientNoteId}/mask`, { masked: true })).statusCode, 403);

    const mine = (await events()).filter((e) => e.actorId === caregiverLogin);
    assert.ok(mine.every((e) => e.actorKind === 'caregiver'));
    assert.ok(mine.some((e) => e.action === 'login' && e.allowed && e.rule === 'caregiver'));
    assert.ok(mine.some((e) => e.action === 'read-list' && e.allowed && e.rule === 'caregiver'));
    assert.ok(mine.some((e) => e.action === 'open-document' && e.allowed && e.rule === 'caregiver'));
    assert.ok(mine.some((e) => e.action === 'deposit' && e.allowed && e.rule === 'caregiver'));
    assert.ok(mine.some((e) => e.action === 'open-document' && !e.allowed && e.rule === 'masked-document'));
    assert.ok(mine.some((e) => e.action === 'mask' && !e.allowed && e.rule === 'caregiver-limits'));
  });

  it('the caregiver is notified like the patient, as their preferences say', async () => {
    const before = (await queuedMessages(t.ctx, 'notification')).filter((m) => Object.values(m.to).includes(AIDANT.email)).length;
    ok(await patient.post(`/api/records/${recordId}/notes`, { title: 'Analyse', text: 'Résultats.' }), 201);
    const after = (await queuedMessages(t.ctx, 'notification')).filter((m) => Object.values(m.to).includes(AIDANT.email));
    assert.equal(after.length, before + 1, 'a new document is told to the caregiver');
    assert.match(JSON.stringify(after[0]!.data), /proche aidant/);
  });

  it('refuses sharing, caregivers, history, export, closure and credentials; each refusal traced with its rule', async () => {
    const refused = async (res: { statusCode: number; body: string }) => assert.equal(res.statusCode, 403, res.body);
    await refused(await caregiver.get(`/api/records/${recordId}/sharing`));
    await refused(await caregiver.put(`/api/records/${recordId}/sharing/emergency`, { breakGlass: false, samu: false, maskedInEmergency: false }));
    await refused(await caregiver.get(`/api/records/${recordId}/caregivers`));
    await refused(await caregiver.post(`/api/records/${recordId}/caregivers`, { firstName: 'X', lastName: 'Y', email: 'x.y@example.org' }));
    await refused(await caregiver.get(`/api/records/${recordId}/history`));
    await refused(await caregiver.get(`/api/records/${recordId}/history.csv`));
    await refused(await caregiver.get(`/api/records/${recordId}/copy`));
    await refused(await caregiver.post(`/api/records/${recordId}/closure`, { confirmed: true }));
    await refused(await caregiver.get(`/api/records/${recordId}/health-profile`));
    // Credentials: no route acts on another login's credentials; the policy refuses it on this record too.
    const { state } = await loadAccessState(t.ctx, recordId);
    const credentials = decide({ actor: { kind: 'caregiver', id: caregiverLogin }, record: state, action: 'manage-credentials', context: { now: t.clock.now(), mode: 'normal' } });
    assert.deepEqual([credentials.allowed, credentials.rule], [false, 'caregiver-limits']);
    assert.equal((await new TestClient(t.app, '10.20.0.9').post('/api/creation/letter', { loginId: (await patient.get('/api/me')).json().loginId, password: CAREGIVER_PASSWORD })).statusCode >= 400, true);
    const patientStill = await new TestClient(t.app, '10.20.0.10').post('/api/auth/login', { loginId: (await patient.get('/api/me')).json().loginId, password: STRONG_PASSWORD });
    ok(patientStill);

    assert.equal((await patient.get(`/api/records/${recordId}/lifecycle`)).json().status, 'active', 'nothing changed');
    const denied = (await events()).filter((e) => e.actorId === caregiverLogin && !e.allowed);
    // (Reading the history on screen is refused without a trace of its own, as for anyone; its downloads are traced.)
    for (const action of ['settings-changed', 'authorization-given', 'export', 'close'] as const) {
      const found = denied.filter((e) => e.action === action);
      assert.ok(found.length > 0, `${action} refusal traced`);
      assert.ok(found.every((e) => e.rule === 'caregiver-limits' && e.actorKind === 'caregiver'), `${action}: ${JSON.stringify(found.map((e) => e.rule))}`);
    }
  });

  it('removal by the titulaire ends access at once, traced; the caregiver cannot switch back', async () => {
    const listed = (await patient.get(`/api/records/${recordId}/caregivers`)).json().caregivers;
    const camille = listed.find((c: { lastName: string }) => c.lastName === 'Aidant');
    ok(await patient.request('DELETE', `/api/records/${recordId}/caregivers/${camille.caregiverId}`), 204);
    assert.equal((await caregiver.get(`/api/records/${recordId}/documents`)).statusCode, 401, 'their only record gone: the session ended');
    const relogged = new TestClient(t.app, '10.20.0.4');
    const start = await relogged.post('/api/auth/login', { loginId: caregiverLogin, password: CAREGIVER_PASSWORD });
    ok(start);
    ok(await relogged.post('/api/auth/login/verify', { challengeId: start.json().challengeId, code: await lastCode(t.ctx, 'login-code', AIDANT_MOBILE) }));
    assert.deepEqual((await relogged.get('/api/me')).json().records, []);
    assert.equal((await relogged.get(`/api/records/${recordId}/documents`)).statusCode, 403);
    assert.equal((await relogged.put('/api/me/current-record', { recordId })).statusCode, 403);
    const trail = await events();
    assert.ok(trail.some((e) => e.action === 'authorization-revoked' && e.actorKind === 'patient' && e.allowed));
    assert.ok(trail.some((e) => e.actorId === caregiverLogin && e.action === 'read-list' && !e.allowed && e.rule === 'not-titulaire'));
    const { state } = await loadAccessState(t.ctx, recordId);
    assert.deepEqual(state.caregiverIds, []);
  });

  it('a patient with her own DMP accepts with her existing login, and switches between her record and the one she helps with', async () => {
    for (const c of (await patient.get(`/api/records/${recordId}/caregivers`)).json().caregivers) {
      ok(await patient.request('DELETE', `/api/records/${recordId}/caregivers/${c.caregiverId}`), 204);
    }
    ok(await invite({ firstName: 'Élodie', lastName: 'Roche', email: ELODIE.email }), 201);
    const code = await lastCode(t.ctx, 'caregiver-invitation', ELODIE.email);
    const { client: elodie, recordId: ownRecord, loginId } = await signedInPatient(t, ELODIE);
    const wrongPassword = await elodie.post('/api/caregiver-invitations/accept', { code, email: ELODIE.email, loginId, password: 'Pas-le-bon-mot-de-passe' });
    assert.equal(wrongPassword.statusCode, 401, wrongPassword.body);
    const accepted = await elodie.post('/api/caregiver-invitations/accept', { code, email: ELODIE.email, loginId, password: STRONG_PASSWORD });
    ok(accepted, 201);
    assert.equal(accepted.json().loginId, loginId);
    assert.equal(accepted.json().created, false);
    const me = (await elodie.get('/api/me')).json();
    assert.deepEqual(me.records.map((r: { role: string }) => r.role).sort(), ['caregiver', 'holder']);
    assert.equal(me.currentRecordId, ownRecord, 'she stays on her own record');
    ok(await elodie.put('/api/me/current-record', { recordId }));
    ok(await elodie.get(`/api/records/${recordId}/documents`));
    assert.equal((await elodie.get(`/api/records/${recordId}/sharing`)).statusCode, 403, 'helping is not managing');
    ok(await elodie.get(`/api/records/${ownRecord}/sharing`));
  });

  it('an expired invitation is refused', async () => {
    ok(await invite({ firstName: 'Eva', lastName: 'Tard', email: 'eva.tard@example.org' }), 201);
    const code = await lastCode(t.ctx, 'caregiver-invitation', 'eva.tard@example.org');
    t.clock.advance(15 * DAY);
    const late = await new TestClient(t.app, '10.20.0.5').post('/api/caregiver-invitations/check', { code, email: 'eva.tard@example.org' });
    assert.equal(late.statusCode, 400, late.body);
    assert.match(late.json().detail, /expiré/);
  });

  it('a caregiver-only login resets a forgotten password with its identifier and the invitation email', async () => {
    const forgetful = new TestClient(t.app, '10.20.0.6');
    const codesBefore = (await queuedMessages(t.ctx, 'password-reset-code')).length;
    const wrong = await forgetful.post('/api/auth/password-reset', { loginId: caregiverLogin, email: 'someone.else@example.org' });
    assert.equal(wrong.statusCode, 202);
    assert.equal((await queuedMessages(t.ctx, 'password-reset-code')).length, codesBefore, 'no code for a wrong email');
    const started = await forgetful.post('/api/auth/password-reset', { loginId: caregiverLogin, email: AIDANT.email.toUpperCase() });
    assert.equal(started.statusCode, 202);
    assert.equal(started.json().message, wrong.json().message, 'the same answer either way');
    const code = await lastCode(t.ctx, 'password-reset-code', AIDANT_MOBILE);
    const newPassword = 'Sentier-Brume-Violon-58';
    const weak = await forgetful.post('/api/auth/password-reset/confirm', { challengeId: started.json().challengeId, code, newPassword: 'camille-aidant', newPasswordConfirmation: 'camille-aidant' });
    assert.equal(weak.statusCode, 400, 'the names of the caregiver are refused in the password');
    ok(await forgetful.post('/api/auth/password-reset/confirm', { challengeId: started.json().challengeId, code, newPassword, newPasswordConfirmation: newPassword }), 204);
    assert.equal((await forgetful.post('/api/auth/login', { loginId: caregiverLogin, password: CAREGIVER_PASSWORD })).statusCode, 401);
    ok(await forgetful.post('/api/auth/login', { loginId: caregiverLogin, password: newPassword }));
  });
});
