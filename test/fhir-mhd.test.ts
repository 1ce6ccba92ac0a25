import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRecord } from '../src/records/records';
import { auditCipher } from '../src/audit/recorder';
import { readHistory } from '../src/audit/trail';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import type { TestClient } from './helpers/client';
import { hitRateLimit, rateLimitSecret } from '../src/platform/rate-limit';
import { startTestApp, type TestApp } from './helpers/context';
import { multipart } from './helpers/multipart';
import { DOMINIQUE, signedInPatient } from './helpers/patients';
import { CLAIRE_MARTIN, JULIEN_LEFEBVRE, professionalClient, THOMAS_MOREAU } from './helpers/professionals';
import { pdsmBundle, TRE_A07 } from './helpers/pdsm-bundle';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const MAX_UPLOAD_BYTES = 4096;
const FHIR = { 'content-type': 'application/fhir+json' };

interface DocRef {
  id: string;
  status: string;
  description: string;
  type: { coding: { system: string; code: string }[] };
  subject: { identifier: { system: string; value: string } };
  securityLabel?: { coding: { code: string }[] }[];
  content: { attachment: { url: string; contentType: string; size: number } }[];
}

describe('IHE MHD (FHIR R4) for practice software', () => {
  let t: TestApp;
  let patient: TestClient;
  let recordId: string;
  let ins: string;
  let claire: TestClient;
  let julien: TestClient;
  const docs: Record<string, string> = {};

  const deposit = async (client: TestClient, typeCode: string, title: string) => {
    const body = multipart({ typeCode, title, careDate: '2026-02-01' }, { name: 'doc.pdf', type: 'application/pdf', bytes: PDF });
    const res = await client.request('POST', `/api/pro/records/${recordId}/documents`, body.payload, { headers: body.headers });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().documentId as string;
  };
  const search = (client: TestClient, query = '') => client.get(`/fhir/DocumentReference?patient.identifier=${encodeURIComponent(ins)}&status=current${query}`);
  const refs = (res: { json(): { entry: { resource: DocRef }[] } }) => res.json().entry.map((e) => e.resource);
  const titles = (list: DocRef[]) => list.map((d) => d.description).sort();
  const history = () => readHistory(t.ctx.database.db, recordId, auditCipher(t.ctx.database.db, t.ctx.masterKey, t.clock.now()), { limit: 500 });
  const documentCount = async () => (await claire.get(`/api/pro/records/${recordId}/documents?limit=100`)).json().total as number;
  // An ITI-65 bundle as PDSm writes it (test/helpers/pdsm-bundle.ts; fhir-provide.test.ts tests it in full).
  const provideBundle = (overrides: { typeCode?: string; subject?: string; bytes?: Buffer; withoutBinary?: boolean; masked?: boolean } = {}) => {
    const [system, value] = (overrides.subject ?? ins).split('|');
    const bundle = pdsmBundle({
      subject: { reference: `Patient?identifier=${system}|${value}` },
      rpps: CLAIRE_MARTIN,
      documents: [
        {
          bytes: overrides.bytes ?? PDF,
          typeCode: overrides.typeCode ?? '11488-4',
          title: 'Consultation de suivi (MHD)',
          ...(overrides.masked ? { labels: [{ system: TRE_A07, code: 'MASQUE_PS' }] } : {}),
        },
      ],
    });
    if (overrides.withoutBinary) bundle.entry = bundle.entry.filter((e) => (e as { resource: { resourceType: string } }).resource.resourceType !== 'Binary');
    return bundle;
  };
  const provide = (client: TestClient, bundle: unknown) => client.request('POST', '/fhir', JSON.stringify(bundle), { headers: FHIR });

  before(async () => {
    t = await startTestApp({ env: { BLOB_STORE: `file:${mkdtempSync(join(tmpdir(), 'fhir-blobs-'))}`, MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ client: patient, recordId } = await signedInPatient(t, DOMINIQUE));
    const record = await findRecord(t.ctx, recordId);
    ins = `urn:oid:${record.insOid}|${record.insMatricule}`;
    claire = await professionalClient(t, CLAIRE_MARTIN);
    julien = await professionalClient(t, JULIEN_LEFEBVRE);
    docs.report = await deposit(claire, '11490-0', 'Lettre de liaison');
    docs.imaging = await deposit(claire, '18748-4', 'Radiographie du thorax');
    docs.prescription = await deposit(claire, '57833-6', 'Ordonnance');
  });
  after(async () => t.close());

  it('describes what it supports at /fhir/metadata', async () => {
    const res = await claire.get('/fhir/metadata');
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
    const statement = res.json();
    assert.equal(statement.resourceType, 'CapabilityStatement');
    assert.equal(statement.fhirVersion, '4.0.1');
    // MHD's Document Responder serves List (ITI-66) beside DocumentReference and Binary.
    assert.deepEqual(statement.rest[0].resource.map((r: { type: string }) => r.type), ['DocumentReference', 'List', 'Binary', 'Patient', 'AuditEvent', 'Consent']);
  });

  it('finds by INS the documents the médecin traitant deposited (ITI-67)', async () => {
    const res = await search(claire);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
    const bundle = res.json();
    assert.equal(bundle.resourceType, 'Bundle');
    assert.equal(bundle.type, 'searchset');
    assert.equal(bundle.total, 3);
    const list = refs(res);
    assert.deepEqual(titles(list), ['Lettre de liaison', 'Ordonnance', 'Radiographie du thorax']);
    const letter = list.find((d) => d.description === 'Lettre de liaison')!;
    assert.equal(letter.status, 'current');
    assert.deepEqual(letter.type.coding[0]!.code, '11490-0');
    assert.equal(letter.type.coding[0]!.system, 'http://loinc.org');
    assert.equal(`${letter.subject.identifier.system}|${letter.subject.identifier.value}`, ins);
    assert.equal(letter.content[0]!.attachment.contentType, 'application/pdf');
    assert.equal(letter.content[0]!.attachment.size, PDF.length);
    // MHD ITI-67 §2:3.67.4.2.2.1.1: a full URL that retrieves the document (ITI-68).
    assert.equal(letter.content[0]!.attachment.url, `${t.ctx.config.PUBLIC_URL.replace(/\/$/, '')}/fhir/Binary/${letter.id}`);
    assert.match(letter.id, /^[0-9a-z]{50}-1$/);
    // Filters on the catalogue's type and category.
    assert.deepEqual(titles(refs(await search(claire, '&type=http://loinc.org|18748-4'))), ['Radiographie du thorax']);
    assert.deepEqual(titles(refs(await search(claire, '&category=traitements-soins'))), ['Ordonnance']);
  });

  it('returns the exact bytes of a document (ITI-68), or a FHIR Binary when asked', async () => {
    const letter = refs(await search(claire)).find((d) => d.description === 'Lettre de liaison')!;
    const path = new URL(letter.content[0]!.attachment.url).pathname;
    const res = await claire.get(path);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.deepEqual(res.rawPayload, PDF);
    const json = await claire.request('GET', path, undefined, { headers: { accept: 'application/fhir+json' } });
    assert.equal(json.statusCode, 200, json.body);
    assert.equal(json.json().resourceType, 'Binary');
    assert.deepEqual(Buffer.from(json.json().data, 'base64'), PDF);
    assert.ok((await history()).some((e) => e.actorId === CLAIRE_MARTIN && e.action === 'open-document' && e.documentId === docs.report && e.allowed));
    assert.equal((await claire.get('/fhir/Binary/not-an-id')).statusCode, 404);
  });

  it('refuses a GP without the patient’s consent with a French OperationOutcome, traced as not-authorized', async () => {
    const res = await search(julien);
    assert.equal(res.statusCode, 403, res.body);
    assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
    const outcome = res.json();
    assert.equal(outcome.resourceType, 'OperationOutcome');
    assert.equal(outcome.issue[0].severity, 'error');
    assert.equal(outcome.issue[0].code, 'forbidden');
    assert.match(outcome.issue[0].diagnostics, /autoris|accord/i);
    const refused = (await history()).filter((e) => e.actorId === JULIEN_LEFEBVRE && e.action === 'read-list');
    assert.ok(refused.some((e) => !e.allowed && e.rule === 'not-authorized'));
    const letter = refs(await search(claire)).find((d) => d.description === 'Lettre de liaison')!;
    assert.equal((await julien.get(`/fhir/Binary/${letter.id}`)).statusCode, 403);
  });

  it('keeps a masked document from a GP who is not its author, not from the médecin traitant', async () => {
    assert.equal((await patient.post(`/api/records/${recordId}/documents/${docs.imaging}/mask`, { masked: true })).statusCode, 200);
    assert.equal((await julien.post(`/api/pro/records/${recordId}/consent`, { consent: true })).statusCode, 200);
    const seen = await search(julien);
    assert.equal(seen.statusCode, 200, seen.body);
    assert.deepEqual(titles(refs(seen)), ['Lettre de liaison', 'Ordonnance']);
    const claireSees = refs(await search(claire));
    const imaging = claireSees.find((d) => d.description === 'Radiographie du thorax')!;
    // PDSm: the confidentiality code (N) comes first, the DMP's labels beside it.
    assert.ok(imaging.securityLabel?.some((l) => l.coding[0]?.code === 'MASQUE_PS'));
    assert.equal((await julien.get(`/fhir/Binary/${imaging.id}`)).statusCode, 403);
  });

  it('shows a pharmacist only his profession’s categories, as the JSON API does', async () => {
    const thomas = await professionalClient(t, THOMAS_MOREAU);
    assert.equal((await thomas.post(`/api/pro/records/${recordId}/consent`, { consent: true })).statusCode, 200);
    const res = await search(thomas);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(titles(refs(res)), ['Ordonnance']);
    const json = (await thomas.get(`/api/pro/records/${recordId}/documents?limit=100`)).json();
    assert.deepEqual(json.documents.map((d: { title: string }) => d.title), ['Ordonnance']);
  });

  it('takes a document from a Provide Document Bundle (ITI-65), then finds and returns it', async () => {
    const before = await documentCount();
    const bytes = Buffer.concat([PDF, Buffer.from('% MHD\n')]);
    const res = await provide(claire, provideBundle({ bytes }));
    assert.equal(res.statusCode, 200, res.body);
    const answer = res.json();
    assert.equal(answer.resourceType, 'Bundle');
    assert.equal(answer.type, 'transaction-response');
    assert.deepEqual(answer.entry.map((e: { response: { status: string } }) => e.response.status), ['201 Created', '201 Created', '201 Created']);
    assert.equal(await documentCount(), before + 1);
    const found = refs(await search(claire, '&type=11488-4'));
    assert.deepEqual(titles(found), ['Consultation de suivi (MHD)']);
    assert.equal(`Binary/${found[0]!.id}`, answer.entry[2].response.location);
    assert.deepEqual((await claire.get(`/fhir/Binary/${found[0]!.id}`)).rawPayload, bytes);
    assert.ok((await history()).some((e) => e.actorId === CLAIRE_MARTIN && e.action === 'deposit' && e.allowed && e.rule));
    // The security label masks it from professionals other than its author and the médecin traitant.
    assert.equal((await provide(claire, provideBundle({ masked: true }))).statusCode, 200);
    assert.equal(refs(await search(julien, '&type=11488-4')).length, 1, 'the masked one is not listed for Julien');
  });

  it('refuses a malformed, unknown-typed or oversized bundle with an OperationOutcome, writing nothing', async () => {
    const before = await documentCount();
    const missing = await provide(claire, provideBundle({ withoutBinary: true }));
    assert.equal(missing.statusCode, 400, missing.body);
    assert.equal(missing.json().resourceType, 'OperationOutcome');
    assert.equal(missing.json().issue[0].code, 'invalid');
    const notJson = await claire.request('POST', '/fhir', '{"resourceType": "Bundle", ', { headers: FHIR });
    assert.equal(notJson.statusCode, 400, notJson.body);
    assert.equal(notJson.json().resourceType, 'OperationOutcome');
    const notTransaction = await provide(claire, { ...provideBundle(), type: 'collection' });
    assert.equal(notTransaction.statusCode, 400);
    assert.match(notTransaction.json().issue.map((i: { diagnostics: string }) => i.diagnostics).join(' '), /transaction/);
    const unknownType = await provide(claire, provideBundle({ typeCode: '99999-9' }));
    assert.equal(unknownType.statusCode, 422, unknownType.body);
    assert.match(unknownType.json().issue[0].diagnostics, /type de document/);
    const tooLarge = await provide(claire, provideBundle({ bytes: Buffer.concat([PDF, Buffer.alloc(MAX_UPLOAD_BYTES)]) }));
    assert.equal(tooLarge.statusCode, 413, tooLarge.body);
    assert.equal(tooLarge.json().resourceType, 'OperationOutcome');
    assert.equal(await documentCount(), before);
  });

  it('finds nothing for an INS with no DMP (an empty Bundle with a warning), and refuses a deposit for it with a 404', async () => {
    const nicolas = ins.replace(/\|.*$/, '|185054958815725'); // in the directory, without a DMP
    const res = await claire.get(`/fhir/DocumentReference?patient.identifier=${encodeURIComponent(nicolas)}&status=current`);
    // MHD ITI-67 §2:3.67.4.2.2: 200 whether or not documents are found; PDSm4DMP TD3.1a: 0..N entries.
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().total, 0);
    const outcome = res.json().entry.find((e: { search: { mode: string } }) => e.search.mode === 'outcome').resource;
    assert.equal(outcome.issue[0].severity, 'warning');
    assert.match(outcome.issue[0].diagnostics, /Aucun DMP/);
    const before = await documentCount();
    assert.equal((await provide(claire, provideBundle({ subject: nicolas }))).statusCode, 404);
    assert.equal(await documentCount(), before);
  });

  it('refuses software without a professional, and a search without the patient, as OperationOutcomes', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(ins)}` });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().resourceType, 'OperationOutcome');
    const badToken = await t.app.inject({ method: 'GET', url: `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(ins)}`, headers: { authorization: 'Bearer nope' } });
    assert.ok([401, 503].includes(badToken.statusCode), badToken.body);
    assert.equal(badToken.json().resourceType, 'OperationOutcome');
    const noPatient = await claire.get('/fhir/DocumentReference?status=current');
    assert.equal(noPatient.statusCode, 400);
    assert.equal(noPatient.json().resourceType, 'OperationOutcome');
    // An unknown parameter is ignored (FHIR search.html#errors), unless strict handling is asked for.
    const unknownParam = await search(claire, '&colour=blue');
    assert.equal(unknownParam.statusCode, 200, unknownParam.body);
    const strict = await claire.request('GET', `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(ins)}&colour=blue`, undefined, { headers: { prefer: 'handling=strict' } });
    assert.equal(strict.statusCode, 400);
    assert.match(strict.json().issue[0].diagnostics, /colour/);
    const unknown = await claire.get('/fhir/Observation');
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().resourceType, 'OperationOutcome');
  });

  it('stops a professional who searches more than 600 times in an hour (sweeping INS numbers), with an OperationOutcome', async () => {
    const thomas = await professionalClient(t, THOMAS_MOREAU);
    const secret = rateLimitSecret(t.ctx.masterKey);
    const rule = { key: `fhir-search:${THOMAS_MOREAU}`, limit: 600, windowSeconds: 3600 };
    for (let i = 0; i < 600; i++) await hitRateLimit(t.ctx.database.db, rule, t.clock.now(), secret);
    const refused = await search(thomas);
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.json().resourceType, 'OperationOutcome');
    assert.match(refused.json().issue[0].diagnostics, /Trop de tentatives/);
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assert.equal((await search(claire)).statusCode, 200, 'another professional is not affected');
  });
});

describe('IHE MHD (FHIR R4) deposits at the service’s real size limit (20 Mo)', () => {
  const MIB = 1024 * 1024;
  let t: TestApp;
  let recordId: string;
  let ins: { system: string; value: string };
  let claire: TestClient;

  const bundleOf = (...documents: Buffer[]) =>
    JSON.stringify(pdsmBundle({ subject: { identifier: ins }, rpps: CLAIRE_MARTIN, documents: documents.map((bytes) => ({ bytes, title: 'Gros compte rendu' })) }));
  const pdfOf = (size: number) => Buffer.concat([PDF, Buffer.alloc(size - PDF.length, 0x20)]);
  const provide = (body: string) => claire.request('POST', '/fhir', body, { headers: FHIR });
  const documentCount = async () => (await claire.get(`/api/pro/records/${recordId}/documents?limit=100`)).json().total as number;

  before(async () => {
    t = await startTestApp({ env: { BLOB_STORE: `file:${mkdtempSync(join(tmpdir(), 'fhir-big-blobs-'))}` } });
    assert.equal(t.ctx.config.MAX_UPLOAD_BYTES, 20 * MIB);
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ recordId } = await signedInPatient(t, DOMINIQUE));
    const record = await findRecord(t.ctx, recordId);
    ins = { system: `urn:oid:${record.insOid}`, value: record.insMatricule };
    claire = await professionalClient(t, CLAIRE_MARTIN);
  });
  after(async () => t.close());

  it('takes a 20 Mo document (MAX_UPLOAD_BYTES), as the JSON door does', async () => {
    const bytes = pdfOf(20 * MIB);
    const res = await provide(bundleOf(bytes));
    assert.equal(res.statusCode, 200, res.body.slice(0, 500));
    const [found] = (await claire.get(`/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${ins.system}|${ins.value}`)}&status=current`)).json().entry;
    assert.equal((await claire.get(`/fhir/Binary/${found.resource.id}`)).rawPayload.length, bytes.length);
  });

  it('refuses one byte over 20 Mo, 20 Mo in two documents, and a body past the bundle limit, with a 413 OperationOutcome', async () => {
    const before = await documentCount();
    // The limit bounds a bundle's documents together (routes.ts says why).
    for (const body of [bundleOf(pdfOf(20 * MIB + 1)), bundleOf(pdfOf(10 * MIB), pdfOf(10 * MIB + 1)), bundleOf(pdfOf(23 * MIB))]) {
      const res = await provide(body);
      assert.equal(res.statusCode, 413, res.body.slice(0, 500));
      assert.equal(res.json().resourceType, 'OperationOutcome');
    }
    assert.equal(await documentCount(), before);
  });
});
