import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { auditCipher } from '../src/audit/recorder';
import { readHistory } from '../src/audit/trail';
import { importCareHistoryFile } from '../src/care-history/import-file';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { createBlobStore, type BlobStore } from '../src/documents/blob-store';
import type { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { queuedMessages } from './helpers/outbox';
import { DOMINIQUE, signedInPatient, type DemoPerson } from './helpers/patients';
import { CLAIRE_MARTIN, professionalClient, THOMAS_MOREAU } from './helpers/professionals';

/** The Assurance Maladie's bulk feed of reimbursements (DOMAIN.md §1), through its importer. */

const HEADER = 'ins,claim_id,care_date,kind,label,quantity,professional';
const NICOLAS_NO_RECORD = '185054958815725';
const ELODIE: DemoPerson = { nir: '287094410927272', serial: '1115613774503792', email: 'elodie.durand@example.com' };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads other modules' tables
const anyDb = (t: TestApp) => t.ctx.database.db as Kysely<any>;

describe('the care-history feed', () => {
  let t: TestApp;
  let store: BlobStore;
  let folder: string;
  let dominique: TestClient;
  let recordId: string;
  let files = 0;

  const feedFile = (...lines: string[]) => {
    const path = join(folder, `feed-${++files}.csv`);
    writeFileSync(path, [HEADER, ...lines].join('\n') + '\n');
    return path;
  };
  const careHistoryOf = async (client: TestClient, id: string) => {
    const list = await client.get(`/api/records/${id}/documents?category=remboursements`);
    assert.equal(list.statusCode, 200, list.body);
    return list.json().documents as { documentId: string; version: number; title: string; author: { kind: string; name: string } }[];
  };
  const feedEvents = async (id: string) =>
    (await readHistory(t.ctx.database.db, id, auditCipher(t.ctx.database.db, t.ctx.masterKey, t.clock.now()), { limit: 200 })).filter(
      (e) => e.actorKind === 'system',
    );

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'care-history-'));
    t = await startTestApp({ env: { BLOB_STORE: `file:${join(folder, 'blobs')}` } });
    store = createBlobStore(t.ctx.config);
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ client: dominique, recordId } = await signedInPatient(t, DOMINIQUE));
  });
  after(async () => t.close());

  it('files the reimbursements as one «Historique des remboursements» document, and reports every bad line', async () => {
    const notices = (await queuedMessages(t.ctx, 'notification')).length;
    const report = await importCareHistoryFile(t.ctx, store, feedFile(
      `${DOMINIQUE.nir},c-001,2026-02-10,consultation,Consultation de médecine générale,1,Dr Claire MARTIN`,
      `${DOMINIQUE.nir},c-002,2026-02-12,pharmacie,"LEVOTHYROX 75 µg, comprimé",3,Pharmacie du Centre`,
      `${NICOLAS_NO_RECORD},c-003,2026-02-15,biologie,Dosage de la TSH,1,Laboratoire du Parc`,
      `279035121518988,c-004,2026-02-15,biologie,Dosage de la TSH,1,`,
      `${DOMINIQUE.nir},c-005,2027-01-01,biologie,Dosage de la TSH,1,`,
      `${DOMINIQUE.nir},c-006,2026-02-15,massage,Massage,1,`,
    ));
    assert.equal(report.read, 6);
    assert.equal(report.refusedLines, 3);
    assert.deepEqual(report.errors.map((e) => e.line), [5, 6, 7]);
    assert.match(report.errors[0]!.message, /Colonne « ins »/);
    assert.match(report.errors[1]!.message, /dans le futur/);
    assert.match(report.errors[2]!.message, /type de soin inconnu/);
    assert.deepEqual(report.outcomes, { created: 1, updated: 0, unchanged: 0, 'no-record': 1, refused: 0 });

    const docs = await careHistoryOf(dominique, recordId);
    assert.equal(docs.length, 1);
    assert.equal(docs[0]!.title, 'Historique des remboursements');
    assert.deepEqual([docs[0]!.author.kind, docs[0]!.author.name], ['insurance', 'Assurance Maladie']);
    const view = await dominique.get(`/api/records/${recordId}/documents/${docs[0]!.documentId}/view`);
    assert.equal(view.statusCode, 200, view.body);
    assert.match(view.json().html, /LEVOTHYROX 75 µg, comprimé/);
    assert.match(view.json().html, /Consultations et visites/);
    assert.equal((await queuedMessages(t.ctx, 'notification')).length, notices, 'the feed sends the patient no notice');
  });

  it('brings the same document up to date with a new version: a corrected line replaced, a new one added', async () => {
    const [before] = await careHistoryOf(dominique, recordId);
    const report = await importCareHistoryFile(t.ctx, store, feedFile(
      `${DOMINIQUE.nir},c-002,2026-02-12,pharmacie,"LEVOTHYROX 100 µg, comprimé",3,Pharmacie du Centre`,
      `${DOMINIQUE.nir},c-007,2026-03-02,imagerie,Échographie de la thyroïde,1,Centre d’imagerie Saint-Paul`,
    ));
    assert.deepEqual(report.outcomes, { created: 0, updated: 1, unchanged: 0, 'no-record': 0, refused: 0 });
    const [after] = await careHistoryOf(dominique, recordId);
    assert.equal(after!.documentId, before!.documentId);
    assert.equal(after!.version, 2);
    const html = (await dominique.get(`/api/records/${recordId}/documents/${after!.documentId}/view`)).json().html as string;
    assert.match(html, /LEVOTHYROX 100 µg/);
    assert.doesNotMatch(html, /LEVOTHYROX 75 µg/);
    assert.match(html, /Échographie de la thyroïde/);
    assert.match(html, /Consultation de médecine générale/, 'lines not sent again stay');
  });

  it('writes nothing when the feed brings nothing new', async () => {
    const events = (await feedEvents(recordId)).length;
    const report = await importCareHistoryFile(t.ctx, store, feedFile(`${DOMINIQUE.nir},c-007,2026-03-02,imagerie,Échographie de la thyroïde,1,Centre d’imagerie Saint-Paul`));
    assert.deepEqual(report.outcomes, { created: 0, updated: 0, unchanged: 1, 'no-record': 0, refused: 0 });
    assert.equal((await careHistoryOf(dominique, recordId))[0]!.version, 2);
    assert.equal((await feedEvents(recordId)).length, events);
  });

  it('keeps 24 months: older lines go at the next feed', async () => {
    const [doc] = await careHistoryOf(dominique, recordId);
    // Sessions do not last months: Dr Claire MARTIN, the médecin traitant, reads it afterwards.
    const view = async () => {
      const claire = await professionalClient(t, CLAIRE_MARTIN);
      const res = await claire.get(`/api/pro/records/${recordId}/documents/${doc!.documentId}/view`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().html as string;
    };
    t.clock.advance(400 * 86_400_000); // April 2027: February 2026 is still within 24 months
    await importCareHistoryFile(t.ctx, store, feedFile(`${DOMINIQUE.nir},c-008,2025-01-15,soins,Séance de kinésithérapie,6,Lucas CHEVALIER`));
    const html = await view();
    assert.doesNotMatch(html, /kinésithérapie/, 'care older than 24 months is not kept');
    assert.match(html, /Consultation de médecine générale/);
    t.clock.advance(365 * 86_400_000); // April 2028: February 2026 is now more than 24 months ago
    await importCareHistoryFile(t.ctx, store, feedFile(`${DOMINIQUE.nir},c-009,${t.clock.now().toISOString().slice(0, 10)},consultation,Téléconsultation,1,Dr Claire MARTIN`));
    const latest = await view();
    assert.doesNotMatch(latest, /LEVOTHYROX|Consultation de médecine générale/);
    assert.match(latest, /Téléconsultation/);
  });

  it('traces each version as the Assurance Maladie’s, under the feed’s rule', async () => {
    const events = await feedEvents(recordId);
    assert.ok(events.every((e) => e.actorId === 'assurance-maladie' && e.rule === 'insurance-feed' && e.allowed));
    assert.deepEqual(events.map((e) => e.action).sort(), ['deposit', 'replace', 'replace', 'replace']);
  });

  it('lets the authorized pharmacist read it, as the access matrix says', async () => {
    const thomas = await professionalClient(t, THOMAS_MOREAU);
    assert.equal((await thomas.post(`/api/pro/records/${recordId}/consent`, { consent: true })).statusCode, 200);
    const list = await thomas.get(`/api/pro/records/${recordId}/documents?category=remboursements`);
    assert.equal(list.statusCode, 200, list.body);
    const [doc] = list.json().documents;
    assert.equal(doc.title, 'Historique des remboursements');
    assert.equal((await thomas.get(`/api/pro/records/${recordId}/documents/${doc.documentId}/content`)).statusCode, 200);
  });

  it('is refused on a closed record, and the refusal is traced', async () => {
    const { client: elodie, recordId: elodieRecord } = await signedInPatient(t, ELODIE);
    await anyDb(t).updateTable('dmp_record').set({ status: 'closed', closed_at: t.clock.now() }).where('record_id', '=', elodieRecord).execute();
    const report = await importCareHistoryFile(t.ctx, store, feedFile(`${ELODIE.nir},e-001,${t.clock.now().toISOString().slice(0, 10)},consultation,Consultation,1,`));
    assert.deepEqual(report.outcomes, { created: 0, updated: 0, unchanged: 0, 'no-record': 0, refused: 1 });
    const events = await feedEvents(elodieRecord);
    assert.deepEqual(events.map((e) => [e.action, e.rule, e.allowed]), [['deposit', 'record-closed', false]]);
    assert.equal(Number((await anyDb(t).selectFrom('care_history').select((eb) => eb.fn.countAll().as('n')).where('record_id', '=', elodieRecord).executeTakeFirstOrThrow()).n), 0);
    void elodie;
  });

  it('stops at once on a file without the expected columns', async () => {
    const path = join(folder, 'wrong.csv');
    writeFileSync(path, 'nir,date,label\n279035121518989,2026-01-01,Consultation\n');
    await assert.rejects(importCareHistoryFile(t.ctx, store, path), /Colonnes manquantes dans l’en-tête : ins, claim_id, care_date, kind/);
  });
});
