import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { publishCheckpoint } from '../src/audit/checkpoints';
import { auditCipher, auditTrailKeys } from '../src/audit/recorder';
import { resolveAuditSigningKey } from '../src/audit/signing';
import { readHistory } from '../src/audit/trail';
import { verifyTrail } from '../src/audit/verify';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { FileBlobStore } from '../src/documents/blob-store';
import { DataKeyDestroyed, dataKeyFor } from '../src/platform/crypto/record-keys';
import { destroyableTables, purgeClosedRecords } from '../src/lifecycle/destruction';
import { nirIndex } from '../src/accounts/identity';
import type { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { createTestDatabase } from './helpers/database';
import { multipart } from './helpers/multipart';
import { queuedMessages } from './helpers/outbox';
import { DOMINIQUE, signedInPatient, type DemoPerson } from './helpers/patients';
import { CLAIRE_MARTIN, JULIEN_LEFEBVRE, professionalClient } from './helpers/professionals';
import { readZip } from './helpers/unzip';

/**
 * The life of a record (DOMAIN.md §7), through the API: a copy of the whole record, closing
 * (professionals refused everywhere), reactivation, destruction at once (crypto-shredding, the
 * INS freed for a new record, the history still verified), and the retention purge ten years
 * after a closure. The tests follow one another, each starting where the previous one ended.
 */

const JEAN_BAPTISTE: DemoPerson = { nir: '176082B03333374', serial: '1180812442783408', email: 'jb.santoni@example.com' };
const NICOLAS: DemoPerson = { nir: '185054958815725', serial: '1242687940214477', email: 'nicolas.durand@example.com' };
const LEO_NIR = '115034900701048';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const HIDDEN_TITLE = 'Annonce du diagnostic';
const DAY = 24 * 3600_000;

describe('the life of a record, through the API', () => {
  let t: TestApp;
  let blobDir: string;
  let store: FileBlobStore;
  let patient: TestClient;
  let recordId: string;
  let claire: TestClient;
  let julien: TestClient;
  let other: TestClient; // Jean-Baptiste SANTONI, another patient

  const deposit = (client: TestClient, record: string, fields: Record<string, string>) => {
    const body = multipart({ careDate: '2026-02-01', ...fields }, { name: 'doc.pdf', type: 'application/pdf', bytes: PDF });
    return client.request('POST', `/api/pro/records/${record}/documents`, body.payload, { headers: body.headers });
  };
  const events = async (record: string) =>
    (
      await sql<{ seq: number; actor_kind: string; action: string; allowed: boolean; rule: string | null }>`
        SELECT seq, actor_kind, action, allowed, rule FROM audit_event WHERE record_id = ${record} ORDER BY seq`.execute(t.ctx.database.db)
    ).rows;
  const notices = async (to: string) =>
    (await queuedMessages(t.ctx, 'notification')).filter((m) => Object.values(m.to).includes(to)).map((m) => (m.data as { title: string }).title);
  const status = async (client: TestClient, record: string) => (await client.get(`/api/records/${record}/lifecycle`)).json().status as string;

  before(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'lifecycle-blobs-'));
    store = new FileBlobStore(blobDir);
    t = await startTestApp({ env: { BLOB_STORE: `file:${blobDir}` } });
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ client: patient, recordId } = await signedInPatient(t, DOMINIQUE));
    claire = await professionalClient(t, CLAIRE_MARTIN); // her médecin traitant
    julien = await professionalClient(t, JULIEN_LEFEBVRE);

    assert.equal((await deposit(claire, recordId, { typeCode: '11490-0', title: 'Lettre de liaison' })).statusCode, 201);
    assert.equal((await deposit(claire, recordId, { typeCode: '11490-0', title: HIDDEN_TITLE, hiddenFromPatient: 'true' })).statusCode, 201);
    assert.equal((await patient.post(`/api/records/${recordId}/notes`, { title: 'Mes questions', text: 'Demander le résultat.' })).statusCode, 201);
    const allergy = await patient.post(`/api/records/${recordId}/health-profile/entries`, { kind: 'allergy', content: { substance: 'Pénicilline', severity: 'grave' } });
    assert.equal(allergy.statusCode, 201, allergy.body);
    assert.equal((await julien.post(`/api/pro/records/${recordId}/consent`, { consent: true })).statusCode, 200);
  });
  after(async () => {
    await t.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  it('gives the patient a copy of her whole record, without the document not yet explained to her', async () => {
    const res = await patient.get(`/api/records/${recordId}/copy`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/zip');
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="copie-dmp-2026-03-12\.zip"$/);
    const files = readZip(res.rawPayload);
    const documents = [...files.keys()].filter((name) => name.startsWith('documents/'));
    assert.deepEqual(documents.sort(), ['documents/2026-02-01 - Lettre de liaison.pdf', 'documents/2026-03-12 - Mes questions.txt']);
    assert.deepEqual(files.get('documents/2026-02-01 - Lettre de liaison.pdf'), PDF, 'the original bytes');
    assert.equal(files.get('documents/2026-03-12 - Mes questions.txt')!.toString('utf8'), 'Demander le résultat.');
    assert.match(files.get('sante-et-volontes.txt')!.toString('utf8'), /Allergie à : Pénicilline ; Gravité : grave/);
    assert.equal(JSON.parse(files.get('sante-et-volontes.json')!.toString('utf8')).entries.allergy[0].content.substance, 'Pénicilline');
    const history = files.get('historique-des-acces.csv')!.toString('utf8');
    assert.match(history, /Vous avez téléchargé une copie de votre DMP/, 'the copy is in its own history');
    assert.match(files.get('LISEZ-MOI.txt')!.toString('utf8'), /Lettre de liaison, .*ajouté par Claire MARTIN/);
    for (const [name, bytes] of files) assert.ok(!name.includes(HIDDEN_TITLE) && !bytes.toString('utf8').includes(HIDDEN_TITLE), name);
    assert.ok((await events(recordId)).some((e) => e.action === 'export' && e.allowed && e.actor_kind === 'patient'));
  });

  it('answers an error, not half a ZIP file, when the documents cannot be read', async () => {
    // The document store loses this record's files (a disk or a bucket gone), then finds them again.
    renameSync(join(blobDir, recordId), join(blobDir, `${recordId}-away`));
    try {
      const res = await patient.get(`/api/records/${recordId}/copy`);
      assert.equal(res.statusCode, 500);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(res.json().type, 'https://opendmp.fr/problemes/internal');
    } finally {
      renameSync(join(blobDir, `${recordId}-away`), join(blobDir, recordId));
    }
    assert.equal((await patient.get(`/api/records/${recordId}/copy`)).statusCode, 200, 'and gives the copy once they are back');
  });

  it('gives no copy to a professional nor to another patient', async () => {
    assert.equal((await claire.get(`/api/records/${recordId}/copy`)).statusCode, 403);
    ({ client: other } = await signedInPatient(t, JEAN_BAPTISTE));
    const refused = await other.get(`/api/records/${recordId}/copy`);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(refused.json().detail, 'Vous n’avez pas accès à ce DMP.');
  });

  it('lets nobody but the patient close her record, and only once she ticked the box', async () => {
    const before = (await events(recordId)).length;
    assert.equal((await other.post(`/api/records/${recordId}/closure`, { confirmed: true })).statusCode, 403);
    assert.equal((await claire.post(`/api/records/${recordId}/closure`, { confirmed: true })).statusCode, 403, 'a professional: patients only');
    const unticked = await patient.post(`/api/records/${recordId}/closure`, { confirmed: false });
    assert.equal(unticked.statusCode, 400);
    assert.deepEqual(unticked.json().errors.map((e: { field: string }) => e.field), ['confirmed']);
    assert.equal((await patient.post(`/api/records/${recordId}/closure`, {}, { csrf: false })).statusCode, 403, 'CSRF applies');
    assert.equal(await status(patient, recordId), 'active', 'nothing changed');
    const traced = (await events(recordId)).slice(before);
    assert.deepEqual(traced.map((e) => [e.action, e.allowed, e.rule]), [['close', false, 'not-titulaire']], 'the outsider’s attempt is in her history');
  });

  it('closes the record: every professional door refuses with the rule record-closed, and she is told', async () => {
    const seqBefore = (await events(recordId)).length;
    const closed = await patient.post(`/api/records/${recordId}/closure`, { confirmed: true });
    assert.equal(closed.statusCode, 200, closed.body);
    assert.deepEqual(closed.json(), { status: 'closed', closedAt: '2026-03-12T09:00:00.000Z', destroyOn: '2036-03-12T09:00:00.000Z' });
    assert.equal((await patient.get('/api/me')).json().records[0].status, 'closed');
    assert.equal((await patient.post(`/api/records/${recordId}/closure`, { confirmed: true })).statusCode, 409, 'already closed');

    const summary = (await claire.get(`/api/pro/records/${recordId}`)).json();
    assert.deepEqual([summary.status, summary.canRead, summary.rule], ['closed', false, 'record-closed']);
    const list = await claire.get(`/api/pro/records/${recordId}/documents`);
    assert.equal(list.statusCode, 403);
    assert.match(list.json().detail, /fermé/);
    const letter = (await patient.get(`/api/records/${recordId}/documents`)).json().documents.find((d: { title: string }) => d.title === 'Lettre de liaison');
    assert.equal((await julien.get(`/api/pro/records/${recordId}/documents/${letter.documentId}/content`)).statusCode, 403);
    assert.equal((await deposit(claire, recordId, { typeCode: '11490-0', title: 'Après fermeture' })).statusCode, 403);
    assert.equal((await julien.post(`/api/pro/records/${recordId}/consent`, { consent: true })).statusCode, 403);
    assert.equal((await julien.post(`/api/pro/records/${recordId}/emergency`, { mode: 'break-glass', reason: 'Inconscient aux urgences' })).statusCode, 403);
    assert.equal((await claire.get(`/api/pro/records/${recordId}/history`)).statusCode, 403);

    const after = (await events(recordId)).slice(seqBefore);
    assert.deepEqual(after[0] && [after[0].action, after[0].actor_kind, after[0].allowed], ['close', 'patient', true]);
    const professional = after.filter((e) => e.actor_kind === 'professional');
    assert.deepEqual(
      professional.map((e) => [e.action, e.allowed, e.rule]),
      [
        ['read-list', false, 'record-closed'], // the record's page: its identity kept back (#11 finding 3)
        ['read-list', false, 'record-closed'],
        ['open-document', false, 'record-closed'],
        ['deposit', false, 'record-closed'],
        ['authorization-given', false, 'record-closed'],
        ['emergency-access', false, 'record-closed'],
        ['read-list', false, 'record-closed'], // the history, read by the médecin traitant
      ],
    );
    assert.ok(!(await patient.get(`/api/records/${recordId}/documents`)).json().documents.some((d: { title: string }) => d.title === 'Après fermeture'));

    const history = (await patient.get(`/api/records/${recordId}/history?what=close`)).json().entries as { sentence: string; allowed: boolean }[];
    assert.deepEqual(
      history.map((e) => [e.allowed, e.sentence]),
      [
        [false, 'Vous avez tenté de fermer votre DMP le 12 mars 2026 à 10 h 00, accès refusé : le DMP était fermé.'],
        [true, 'Vous avez fermé votre DMP le 12 mars 2026 à 10 h 00.'],
        [false, 'Une personne sans droit sur ce DMP a tenté de fermer votre DMP le 12 mars 2026 à 10 h 00, accès refusé : ce DMP n’est pas le sien.'],
      ],
    );
    assert.equal((await notices(DOMINIQUE.email))[0], 'Votre DMP a été fermé');
  });

  it('lets her look and take a copy while it is closed, and change nothing', async () => {
    assert.equal((await patient.get(`/api/records/${recordId}/documents`)).statusCode, 200);
    assert.equal((await patient.get(`/api/records/${recordId}/copy`)).statusCode, 200);
    const note = await patient.post(`/api/records/${recordId}/notes`, { title: 'Pendant la fermeture', text: 'x' });
    assert.equal(note.statusCode, 403);
    assert.match(note.json().detail, /fermé/);
    assert.equal((await patient.post(`/api/records/${recordId}/health-profile/entries`, { kind: 'allergy', content: { substance: 'Latex' } })).statusCode, 409);
    assert.equal((await patient.post(`/api/records/${recordId}/sharing/blocks`, { rpps: JULIEN_LEFEBVRE })).statusCode, 409);
    assert.equal((await patient.put(`/api/records/${recordId}/sharing/emergency`, { breakGlass: false, samu: false, maskedInEmergency: false })).statusCode, 409);
  });

  it('reactivates the record: the professionals’ access comes back', async () => {
    const res = await patient.post(`/api/records/${recordId}/reactivation`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { status: 'active', closedAt: null, destroyOn: null });
    assert.equal((await patient.post(`/api/records/${recordId}/reactivation`)).statusCode, 409, 'not closed any more');
    assert.equal((await claire.get(`/api/pro/records/${recordId}/documents`)).statusCode, 200);
    assert.equal((await julien.get(`/api/pro/records/${recordId}/documents`)).statusCode, 200, 'his authorization stood');
    assert.equal((await deposit(claire, recordId, { typeCode: '11490-0', title: 'Après réactivation' })).statusCode, 201);
    const history = (await patient.get(`/api/records/${recordId}/history?what=reactivate`)).json().entries as { allowed: boolean }[];
    assert.deepEqual(history.map((e) => e.allowed), [false, true], 'the second attempt is refused');
    assert.ok((await notices(DOMINIQUE.email)).includes('Votre DMP a été réactivé'));
  });

  it('lets a parent close and reopen a child’s record, never destroy it', async () => {
    const nicolas = await signedInPatient(t, NICOLAS);
    const child = await nicolas.client.post('/api/me/children-records', { nir: LEO_NIR, consent: true });
    assert.equal(child.statusCode, 201, child.body);
    const leo = child.json().recordId as string;
    assert.equal((await nicolas.client.post(`/api/records/${leo}/closure`, { confirmed: true })).statusCode, 200);
    assert.equal((await nicolas.client.get(`/api/records/${leo}/copy`)).statusCode, 403, 'a representative reopens first');
    const destroy = await nicolas.client.post(`/api/records/${leo}/deletion`, { confirmation: 'SUPPRIMER' });
    assert.equal(destroy.statusCode, 403);
    assert.match(destroy.json().detail, /Seule la personne titulaire/);
    assert.equal((await nicolas.client.post(`/api/records/${leo}/reactivation`)).statusCode, 200);
    assert.equal(await status(nicolas.client, leo), 'active');
    assert.equal((await nicolas.client.post(`/api/records/${recordId}/deletion`, { confirmation: 'SUPPRIMER' })).statusCode, 403, 'not his record');
  });

  it('destroys the record at once: blobs gone, sealed content unreadable, INS freed, history kept and verified', async () => {
    const db = t.ctx.database.db;
    const signingKey = resolveAuditSigningKey(t.ctx.config, t.ctx.masterKey);
    await publishCheckpoint(db, signingKey, t.clock.now());
    const blobKeys = (await sql<{ blob_key: string }>`SELECT blob_key FROM document WHERE record_id = ${recordId}`.execute(db)).rows.map((r) => r.blob_key);
    assert.equal(blobKeys.length, 4);
    for (const key of blobKeys) assert.ok(await store.exists(key));
    const eventsBefore = (await events(recordId)).length;

    const wrong = await patient.post(`/api/records/${recordId}/deletion`, { confirmation: 'oui' });
    assert.equal(wrong.statusCode, 400);
    assert.deepEqual(wrong.json().errors.map((e: { field: string }) => e.field), ['confirmation']);
    assert.equal(await status(patient, recordId), 'active', 'a refusal changes nothing');

    const res = await patient.post(`/api/records/${recordId}/deletion`, { confirmation: ' supprimer ' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { destroyed: true, accountDeleted: true });
    assert.equal((await patient.get('/api/me')).statusCode, 401, 'the session ended');

    for (const key of blobKeys) assert.equal(await store.exists(key), false, key);
    await assert.rejects(dataKeyFor(db, t.ctx.masterKey, recordId, t.clock.now()), DataKeyDestroyed);
    const trail = await readHistory(db, recordId, auditCipher(db, t.ctx.masterKey, t.clock.now()), { limit: 1000 });
    assert.equal(trail.length, eventsBefore + 1, 'the history is kept, with the destruction as its last event');
    assert.deepEqual([trail[0]!.action, trail[0]!.actorKind, trail[0]!.rule], ['delete-record', 'patient', 'titulaire']);
    assert.ok(trail.filter((e) => e.personalState !== 'none').length > 5);
    assert.ok(trail.every((e) => e.personalState !== 'open'), 'no personal part can be read any more');

    const tables = await destroyableTables(db);
    for (const table of ['dmp_record', 'document', 'health_entry', 'record_authorization']) assert.ok(tables.includes(table), table);
    for (const table of tables) {
      const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE record_id = ${recordId}`.execute(db);
      assert.equal(left.rows[0]!.n, 0, table);
    }
    const directory = await sql<{ n: number }>`
      SELECT (SELECT count(*) FROM record_by_ins WHERE ins_matricule = ${DOMINIQUE.nir})
           + (SELECT count(*) FROM account_by_nir WHERE nir_index = ${nirIndex(t.ctx.masterKey, DOMINIQUE.nir)})
           + (SELECT count(*) FROM patient_account WHERE nir_index = ${nirIndex(t.ctx.masterKey, DOMINIQUE.nir)})
           + (SELECT count(*) FROM account_record WHERE record_id = ${recordId}) AS n`.execute(db);
    assert.equal(Number(directory.rows[0]!.n), 0);
    assert.equal((await notices(DOMINIQUE.email))[0], 'Votre DMP a été supprimé');
    assert.equal((await claire.get(`/api/pro/records/${recordId}/documents`)).statusCode, 404);

    await publishCheckpoint(db, signingKey, t.clock.now());
    const verified = await verifyTrail(db, auditTrailKeys(t.ctx.config, t.ctx.masterKey));
    assert.equal(verified.ok, true, JSON.stringify(verified.records.problems));
  });

  it('lets the same person create a new DMP afterwards', async () => {
    const again = await signedInPatient(t, DOMINIQUE);
    assert.notEqual(again.recordId, recordId);
    assert.equal((await again.client.get(`/api/records/${again.recordId}/documents`)).json().total, 0);
    patient = again.client;
    recordId = again.recordId;
  });

  it('destroys a record ten years after its closure, not a day sooner, once', async () => {
    assert.equal((await deposit(claire, recordId, { typeCode: '11490-0', title: 'Compte rendu' })).statusCode, 201);
    const [{ blob_key: blobKey }] = (await sql<{ blob_key: string }>`SELECT blob_key FROM document WHERE record_id = ${recordId}`.execute(t.ctx.database.db)).rows as [{ blob_key: string }];
    const closed = await patient.post(`/api/records/${recordId}/closure`, { confirmed: true });
    assert.equal(closed.statusCode, 200);
    const destroyOn = Date.parse(closed.json().destroyOn);
    const records = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM dmp_record`.execute(t.ctx.database.db)).rows[0]!.n;
    const othersBefore = (await records()) - 1; // Jean-Baptiste's, Nicolas's, and Léo's (closed once, reopened): not due

    t.clock.advance(destroyOn - DAY - t.clock.now().getTime()); // ten years minus a day
    const early = await purgeClosedRecords(t.ctx, store);
    assert.deepEqual([early.due, early.destroyed], [0, 0]);
    assert.ok(await store.exists(blobKey));

    t.clock.advance(2 * DAY); // ten years and a day
    const purged = await purgeClosedRecords(t.ctx, store);
    assert.deepEqual([purged.due, purged.destroyed, purged.failed, purged.blobs.deleted, purged.removedAccounts], [1, 1, 0, 1, 1]);
    assert.equal(await store.exists(blobKey), false);
    const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM record_by_ins WHERE ins_matricule = ${DOMINIQUE.nir}`.execute(t.ctx.database.db);
    assert.equal(left.rows[0]!.n, 0);
    const last = (await events(recordId)).at(-1)!;
    assert.deepEqual([last.action, last.actor_kind, last.rule], ['delete-record', 'system', 'retention-10-years']);
    assert.equal(await records(), othersBefore);

    const again = await purgeClosedRecords(t.ctx, store);
    assert.deepEqual([again.due, again.destroyed, again.rows], [0, 0, 0], 'nothing more to do');
    assert.equal((await verifyTrail(t.ctx.database.db, auditTrailKeys(t.ctx.config, t.ctx.masterKey))).ok, true);
  });
});

describe('records:purge on the command line', () => {
  const run = promisify(execFile);
  it('prints its counts, and finds nothing more to do the second time', async () => {
    const database = await createTestDatabase({ migrated: false });
    const dir = mkdtempSync(join(tmpdir(), 'cli-purge-'));
    const env = {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'silent',
      BLOB_STORE: `file:${join(dir, 'blobs')}`,
      ...(database.url ? { DATABASE_URL: database.url } : { DATA_DIR: dir }),
    };
    try {
      for (let i = 0; i < 2; i++) {
        const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/app/cli/main.ts', 'records:purge'], { env });
        assert.match(stdout, /^Records closed more than 10 years ago: 0\n {2}destroyed: 0\n/);
      }
    } finally {
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
