import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from '@cantoo/pdf-lib';
import { pdfText } from './helpers/pdf-text';
import { auditCipher, traceEvent } from '../src/audit/recorder';
import { appendEvent, type AuditEventInput } from '../src/audit/trail';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { createBlobStore } from '../src/documents/blob-store';
import { depositDocument } from '../src/documents/deposit';
import type { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { lastCode } from './helpers/outbox';
import { DOMINIQUE, signedInPatient, STRONG_PASSWORD } from './helpers/patients';

/**
 * «Historique des accès» (DOMAIN.md §6) through the API: one French sentence per event, refusals
 * marked, filters, the whole history as CSV and PDF (each download traced), the verification
 * mark, and nobody else's history.
 */

const FATIMA = { nir: '278029935000801', serial: '1619813652925054', email: 'fatima.elamrani@example.net' };
const RPPS = '10001234565';
const TITLE = 'Compte rendu d’hospitalisation';
const HIDDEN_TITLE = 'Résultat anatomopathologique';

describe('«Historique des accès» API', () => {
  let t: TestApp;
  let client: TestClient;
  let recordId: string;
  let loginId: string;
  let documentId: string;
  let hiddenId: string;
  const blobDir = mkdtempSync(join(tmpdir(), 'history-blobs-'));

  const pro = (overrides: Partial<AuditEventInput>): AuditEventInput => ({
    recordId,
    actorKind: 'professional',
    actorId: RPPS,
    action: 'open-document',
    allowed: true,
    rule: 'authorized-consent',
    personal: { actorName: 'Dr Claire Martin', profession: 'médecin généraliste', workplace: 'Cabinet des Lilas' },
    ...overrides,
  });
  /** Appends directly with the service's cipher, at the clock's time, as the service does. */
  const append = async (event: AuditEventInput) => {
    const now = t.clock.now();
    await appendEvent(t.ctx.database.db, event, auditCipher(t.ctx.database.db, t.ctx.masterKey, now), now);
  };
  const history = async (query = '') => {
    const res = await client.get(`/api/records/${recordId}/history${query}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { total: number; entries: { sentence: string; allowed: boolean; who: string; what: string; seq: number }[] };
  };

  before(async () => {
    t = await startTestApp({ env: { BLOB_STORE: `file:${blobDir}` } });
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ client, recordId, loginId } = await signedInPatient(t, DOMINIQUE));
    const store = createBlobStore(t.ctx.config);
    const author = { kind: 'professional' as const, id: RPPS, name: 'Dr Claire MARTIN' };
    const target = { recordId, insMatricule: DOMINIQUE.nir };
    const text = (s: string) => Buffer.from(s, 'utf8');
    documentId = (await depositDocument(t.ctx, store, author, target, { bytes: text('Séjour du 1er au 5 mars.'), typeCode: '34133-9', title: TITLE })).documentId;
    hiddenId = (await depositDocument(t.ctx, store, author, target, { bytes: text('À expliquer.'), typeCode: '34133-9', title: HIDDEN_TITLE, hiddenFromPatient: true }))
      .documentId;

    t.clock.set(new Date('2026-03-12T09:42:00Z')); // 10 h 42 in Paris
    await append(pro({ documentId }));
    t.clock.set(new Date('2026-03-13T14:05:00Z'));
    await append(pro({ actorId: '10009876543', documentId, allowed: false, rule: 'blocked-professional', personal: { actorName: 'Dr Jean Bloqué', profession: 'G15_10' } }));
    t.clock.set(new Date('2026-03-20T02:15:00Z'));
    await traceEvent(t.ctx, pro({ actorId: '10005555555', action: 'emergency-access', rule: 'break-glass', personal: { actorName: 'Dr Paul Urgence', profession: 'G15_10', reason: 'patient inconscient' } }));
    await traceEvent(t.ctx, pro({ action: 'deposit', documentId: hiddenId, rule: 'document-author' }));
    t.clock.set(new Date('2026-03-21T08:00:00Z'));
    await signInAgain(); // the session of the 12th has long expired
  });

  async function signInAgain() {
    const start = await client.post('/api/auth/login', { loginId, password: STRONG_PASSWORD });
    assert.equal(start.statusCode, 200, start.body);
    const code = await lastCode(t.ctx, 'login-code', DOMINIQUE.email);
    const done = await client.post('/api/auth/login/verify', { challengeId: start.json().challengeId, code });
    assert.equal(done.statusCode, 200, done.body);
  }
  after(async () => t.close());

  it('tells each event in one French sentence, newest first, Paris time, refusals marked', async () => {
    const { entries, total } = await history();
    assert.ok(total >= 5, `the creation, the login… and the 4 events above: ${total}`);
    const sentences = entries.map((e) => e.sentence);
    assert.ok(
      sentences.includes(`Dr Claire Martin, médecin généraliste, a consulté votre document « ${TITLE} » le 12 mars 2026 à 10 h 42, avec votre autorisation.`),
      sentences.join('\n'),
    );
    const refused = entries.find((e) => !e.allowed && e.who === 'professional')!;
    assert.equal(refused.sentence, `Dr Jean Bloqué, médecin, a tenté de consulter votre document « ${TITLE} » le 13 mars 2026 à 15 h 05, accès refusé : vous l’aviez bloqué.`);
    assert.ok(sentences.includes('Dr Paul Urgence, médecin, a ouvert un accès en urgence à votre DMP le 20 mars 2026 à 3 h 15, motif : « patient inconscient ».'));
    assert.ok(sentences.some((s) => /^Vous avez créé votre DMP en ligne le 12 mars 2026 à 10 h 00\.$/.test(s)), 'the lead’s creation event');
    const seqs = entries.map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first');
  });

  it('never names a document hidden from the patient', async () => {
    const { entries } = await history();
    const deposit = entries.find((e) => e.what === 'deposit' && e.who === 'professional')!;
    assert.match(deposit.sentence, /a ajouté un document à votre DMP/);
    assert.doesNotMatch(JSON.stringify(entries), new RegExp(HIDDEN_TITLE));
  });

  it('filters by who, what and period (Paris days, both included)', async () => {
    const pros = await history('?who=professional');
    assert.equal(pros.total, 4);
    assert.ok(pros.entries.every((e) => e.who === 'professional'));
    const opened = await history('?what=open-document');
    assert.equal(opened.total, 2);
    const day = await history('?from=2026-03-13&to=2026-03-13');
    assert.deepEqual(day.entries.map((e) => e.sentence.slice(0, 14)), ['Dr Jean Bloqué']);
    // 2026-03-20T02:15Z is 3 h 15 on the 20th in Paris.
    assert.equal((await history('?who=professional&from=2026-03-20&to=2026-03-20')).total, 2);
    assert.equal((await history('?who=professional&from=2026-03-14&to=2026-03-19')).total, 0);
    const paged = await history('?limit=2&offset=1');
    assert.equal(paged.entries.length, 2);
    const wrong = await client.get(`/api/records/${recordId}/history?what=peek&from=2026-02-30`);
    assert.equal(wrong.statusCode, 400);
    const reversed = await client.get(`/api/records/${recordId}/history?from=2026-03-20&to=2026-03-01`);
    assert.equal(reversed.statusCode, 400);
  });

  it('lists a patient’s own reading of the documents (the documents module traces it)', async () => {
    assert.equal((await client.get(`/api/records/${recordId}/documents`)).statusCode, 200);
    const mine = await history('?what=read-list');
    assert.equal(mine.entries[0]?.sentence, 'Vous avez consulté la liste de vos documents le 21 mars 2026 à 9 h 00.');
    const login = await history('?what=login');
    assert.equal(login.entries[0]?.sentence, 'Vous avez ouvert une session sur Mon DMP le 21 mars 2026 à 9 h 00.');
  });

  it('downloads the whole history as CSV, and traces the download', async () => {
    const before = (await history('?what=export')).total;
    const res = await client.get(`/api/records/${recordId}/history.csv`);
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/csv; charset=utf-8/);
    assert.match(res.headers['content-disposition'] as string, /attachment; filename="historique-dmp-2026-03-21\.csv"/);
    const bytes = res.rawPayload;
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM');
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    assert.equal(lines[0], 'N°;Date et heure (heure de Paris);Qui;Profession;Lieu d’exercice;Type d’acteur;Action;Document;Résultat;Motif;Description');
    const { total } = await history();
    assert.equal(lines.length - 1, total, 'every event, the download included');
    assert.ok(lines.some((l) => l.includes('12/03/2026 10:42;Dr Claire Martin;médecin généraliste;Cabinet des Lilas;Professionnel de santé;Consultation d’un document;')));
    assert.ok(lines.some((l) => l.includes(';Refusé;accès refusé : vous l’aviez bloqué;')));
    assert.match(lines.at(-1)!, /Vous avez téléchargé l’historique des accès de votre DMP \(CSV\)/);
    assert.equal((await history('?what=export')).total, before + 1);
  });

  it('downloads the whole history as a PDF, traced too', async () => {
    const res = await client.get(`/api/records/${recordId}/history.pdf`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal(res.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
    const pdf = await PDFDocument.load(res.rawPayload);
    assert.ok(pdf.getPageCount() >= 1);
    assert.equal(pdf.getTitle(), 'Historique des accès à mon DMP');
    assert.match((await pdfText(res.rawPayload))[0]!, /^Historique des accès à mon DMP$/m, 'its text, in the embedded font');
    const last = (await history('?what=export')).entries[0]!;
    assert.match(last.sentence, /^Vous avez téléchargé l’historique des accès de votre DMP \(PDF\)/);
  });

  it('refuses someone else’s history, its downloads and its verification', async () => {
    const other = await signedInPatient(t, FATIMA);
    for (const path of ['history', 'history.csv', 'history.pdf', 'history/verification']) {
      const res = await other.client.get(`/api/records/${recordId}/${path}`);
      assert.equal(res.statusCode, 403, path);
    }
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/records/${recordId}/history` });
    assert.equal(anonymous.statusCode, 401);
    assert.ok((await history()).entries.every((e) => !e.sentence.includes('téléchargé') || e.sentence.startsWith('Vous')), 'no download by the other patient');
  });

  it('says the history is intact, then not once a row is rewritten in SQL', async () => {
    const ok = await client.get(`/api/records/${recordId}/history/verification`);
    assert.equal(ok.statusCode, 200);
    const report = ok.json();
    assert.equal(report.verified, true);
    assert.equal(report.events, (await history()).total);
    assert.equal(report.checkedAt, '2026-03-21T08:00:00.000Z');

    // An owner switches the append-only trigger off and turns the refusal into a permission.
    await t.ctx.database.withSession((s) =>
      s.exec(`
        ALTER TABLE audit_event DISABLE TRIGGER USER;
        UPDATE audit_event SET allowed = true WHERE record_id = '${recordId}' AND actor_id = '10009876543';
        ALTER TABLE audit_event ENABLE TRIGGER USER;`),
    );
    const broken = (await client.get(`/api/records/${recordId}/history/verification`)).json();
    assert.equal(broken.verified, false);
    assert.equal(loginId.length > 0, true);
  });
});
