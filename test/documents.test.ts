import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createBlobStore, FileBlobStore } from '../src/documents/blob-store';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import type { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { multipart, withoutClosingBoundary } from './helpers/multipart';
import { DOMINIQUE, signedInPatient } from './helpers/patients';
import { CLAIRE_MARTIN, professionalClient } from './helpers/professionals';
import { mkdtempSync, readdirSync as list, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CDA_DIR = new URL('../demo/cda/', import.meta.url);
const CDA_FILES = readdirSync(CDA_DIR).filter((f) => f.endsWith('.xml')).sort();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('documents of a record', () => {
  let t: TestApp;
  let client: TestClient;
  let recordId: string;
  const blobDir = mkdtempSync(join(tmpdir(), 'blobs-'));

  const upload = (fields: Record<string, string>, file?: { name: string; type: string; bytes: Buffer }) => {
    const body = multipart(fields, file);
    return client.request('POST', `/api/records/${recordId}/documents`, body.payload, { headers: body.headers });
  };

  before(async () => {
    t = await startTestApp({ env: { BLOB_STORE: `file:${blobDir}`, MAX_UPLOAD_BYTES: String(64 * 1024) } });
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ client, recordId } = await signedInPatient(t, DOMINIQUE));
  });
  after(async () => t.close());

  it('accepts every official CDA example and reads its metadata from the header', async () => {
    // The CDA examples are larger than this test's upload limit: deposit them through the service.
    const { depositDocument } = await import('../src/documents/deposit');
    const store = createBlobStore(t.ctx.config);
    for (const file of CDA_FILES) {
      const bytes = readFileSync(new URL(file, CDA_DIR));
      const deposited = await depositDocument(t.ctx, store, { kind: 'professional', id: '10001234565', name: 'Dr Claire MARTIN' }, { recordId, insMatricule: DOMINIQUE.nir }, { bytes });
      assert.equal(deposited.format, 'cda', file);
    }
    const list = (await client.get(`/api/records/${recordId}/documents?limit=50`)).json();
    assert.equal(list.total, CDA_FILES.length);
    const bio = list.documents.find((d: { typeCode: string; careDate: string }) => d.typeCode === '11502-2' && d.careDate === '2021-04-01');
    assert.ok(bio, 'the biology report is listed with its LOINC type and date of care');
    assert.equal(bio.category, 'biologie');
    const summary = list.documents.find((d: { typeCode: string }) => d.typeCode === 'SYNTH');
    assert.equal(summary.category, 'synthese');
    const view = (await client.get(`/api/records/${recordId}/documents/${summary.documentId}/view`)).json();
    assert.match(view.html, /<h2/);
    assert.doesNotMatch(view.html, /<script|\son\w+=|href=|src=/i);
  });

  it('adds a PDF, lists it, opens it, filters by words, masks it and deletes it', async () => {
    const res = await upload({ typeCode: 'DOCPAT03', title: 'Compte rendu de kinésithérapie', careDate: '2026-03-01' }, { name: 'cr.pdf', type: 'application/pdf', bytes: PDF });
    assert.equal(res.statusCode, 201, res.body);
    const { documentId, sha256 } = res.json();
    const search = await client.get(`/api/records/${recordId}/documents?words=kinesitherapie`);
    assert.equal(search.statusCode, 200, search.body);
    const found = search.json();
    assert.deepEqual(found.documents.map((d: { documentId: string }) => d.documentId), [documentId], 'accents do not matter');
    assert.equal((await client.get(`/api/records/${recordId}/documents?words=radiologie`)).json().total, 0);
    const content = await client.get(`/api/records/${recordId}/documents/${documentId}/content`);
    assert.equal(content.statusCode, 200);
    assert.equal(content.headers['content-type'], 'application/pdf');
    assert.deepEqual(content.rawPayload, PDF);
    assert.equal(sha256.length, 64);
    const masked = await client.post(`/api/records/${recordId}/documents/${documentId}/mask`, { masked: true });
    assert.equal(masked.statusCode, 200);
    assert.equal((await client.get(`/api/records/${recordId}/documents/${documentId}`)).json().masked, true);
    assert.equal((await client.request('DELETE', `/api/records/${recordId}/documents/${documentId}`)).statusCode, 204);
    assert.equal((await client.get(`/api/records/${recordId}/documents/${documentId}`)).statusCode, 404);
  });

  it('writes a note in the personal space, stored sealed: no plaintext on disk', async () => {
    const secret = 'Douleur au genou gauche depuis mardi';
    const res = await client.post(`/api/records/${recordId}/notes`, { title: 'Mon genou', text: secret });
    assert.equal(res.statusCode, 201, res.body);
    const files = walk(blobDir);
    assert.ok(files.length > 0);
    for (const f of files) assert.ok(!readFileSync(f).includes(Buffer.from('genou')), `${f} holds no plaintext`);
    const content = await client.get(`/api/records/${recordId}/documents/${res.json().documentId}/content`);
    assert.equal(content.body, secret);
  });

  it('refuses a tampered blob on read', async () => {
    const res = await client.post(`/api/records/${recordId}/notes`, { title: 'Note', text: 'Texte à protéger' });
    const { documentId } = res.json();
    const file = walk(blobDir).find((f) => f.includes(documentId))!;
    const bytes = readFileSync(file);
    bytes[bytes.length - 3]! ^= 0xff;
    writeFileSync(file, bytes);
    const read = await client.get(`/api/records/${recordId}/documents/${documentId}/content`);
    assert.equal(read.statusCode, 500);
    assert.doesNotMatch(read.body, /Texte/);
  });

  it('refuses an unknown type, bad bytes, a disguised file and a file too big, leaving nothing behind', async () => {
    const before = walk(blobDir).length;
    const count = async () => (await client.get(`/api/records/${recordId}/documents?limit=100`)).json().total;
    const total = await count();
    const unknownType = await upload({ typeCode: 'NOT-A-TYPE', title: 'x' }, { name: 'a.pdf', type: 'application/pdf', bytes: PDF });
    assert.equal(unknownType.statusCode, 400);
    assert.equal(unknownType.json().errors[0].field, 'typeCode');
    const exe = await upload({ typeCode: 'DOCPAT03', title: 'x' }, { name: 'cr.pdf', type: 'application/pdf', bytes: Buffer.from('MZ\x90\x00\x03binary') });
    assert.equal(exe.statusCode, 415);
    const html = await upload({ typeCode: 'DOCPAT03', title: 'x' }, { name: 'cr.txt', type: 'text/plain', bytes: Buffer.from('<html><script>alert(1)</script></html>') });
    assert.equal(html.statusCode, 415);
    const big = await upload({ typeCode: 'DOCPAT03', title: 'x' }, { name: 'big.pdf', type: 'application/pdf', bytes: Buffer.concat([PDF, Buffer.alloc(70 * 1024, 32)]) });
    assert.equal(big.statusCode, 413);
    const noFile = await upload({ typeCode: 'DOCPAT03', title: 'x' });
    assert.equal(noFile.statusCode, 400);
    const notAPatientType = await upload({ typeCode: '11502-2', title: 'x' }, { name: 'a.pdf', type: 'application/pdf', bytes: PDF });
    assert.equal(notAPatientType.json().errors[0].field, 'typeCode', 'a patient cannot file a lab report as if from the lab');
    for (const careDate of ['2025-13-45', 'hier', '2099-01-01']) {
      const bad = await upload({ typeCode: 'DOCPAT03', title: 'x', careDate }, { name: 'a.pdf', type: 'application/pdf', bytes: PDF });
      assert.equal(bad.statusCode, 400, careDate);
      assert.equal(bad.json().errors[0].field, 'careDate');
    }
    const longTitle = await upload({ typeCode: 'DOCPAT03', title: 'x'.repeat(201) }, { name: 'a.pdf', type: 'application/pdf', bytes: PDF });
    assert.equal(longTitle.json().errors[0].field, 'title');
    assert.equal(await count(), total, 'no row was written');
    assert.equal(walk(blobDir).length, before, 'no blob was left');
  });

  it('answers a multipart body cut before its end, or bearing no file, with a 400 in French, storing nothing', async () => {
    const claire = await professionalClient(t, CLAIRE_MARTIN);
    const before = walk(blobDir).length;
    const total = (await client.get(`/api/records/${recordId}/documents?limit=100`)).json().total;
    const pdf = { name: 'cr.pdf', type: 'application/pdf', bytes: PDF };
    const fields = { typeCode: 'DOCPAT03', title: 'Compte rendu' };
    const bodies = {
      'cut before the closing boundary': withoutClosingBoundary(multipart(fields, pdf)),
      'cut in the middle of the file': (() => {
        const whole = multipart(fields, pdf);
        return { ...whole, payload: whole.payload.subarray(0, whole.payload.indexOf('%%EOF')) };
      })(),
      'fields only, cut before the closing boundary': withoutClosingBoundary(multipart(fields)),
      'fields only': multipart(fields),
      'not multipart inside': { ...multipart(fields), payload: Buffer.from('ceci n’est pas un formulaire') },
    };
    const routes = [
      { who: 'patient', as: client, url: `/api/records/${recordId}/documents` },
      { who: 'professional', as: claire, url: `/api/pro/records/${recordId}/documents` },
    ];
    for (const [name, body] of Object.entries(bodies)) {
      for (const { who, as, url } of routes) {
        const res = await as.request('POST', url, body.payload, { headers: body.headers });
        assert.equal(res.statusCode, 400, `${who}, ${name}: ${res.body}`);
        assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        assert.equal(res.json().errors[0].field, 'file', `${who}, ${name}`);
        assert.match(res.json().detail, /fichier/, `${who}, ${name}`);
      }
    }
    assert.equal((await client.get(`/api/records/${recordId}/documents?limit=100`)).json().total, total, 'no document was added');
    assert.equal(walk(blobDir).length, before, 'no blob was left');
  });

  it('refuses a write from the patient’s session carrying a bogus Bearer header and no CSRF token', async () => {
    const total = (await client.get(`/api/records/${recordId}/documents?limit=100`)).json().total;
    const res = await client.request('POST', `/api/records/${recordId}/notes`, { title: 'Note', text: 'Écrite par un autre site' }, {
      csrf: false,
      headers: { authorization: 'Bearer forged.forged.forged' },
    });
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(res.json().type, 'https://opendmp.fr/problemes/csrf');
    assert.equal((await client.get(`/api/records/${recordId}/documents?limit=100`)).json().total, total, 'no note was written');
  });

  it('refuses another patient’s record and a CDA about someone else', async () => {
    const other = await signedInPatient(t, { nir: '278029935000801', serial: '1619813652925054', email: 'fatima.elamrani@example.net' });
    assert.equal((await other.client.get(`/api/records/${recordId}/documents`)).statusCode, 403);
    const list = (await client.get(`/api/records/${recordId}/documents?limit=1`)).json();
    assert.equal((await other.client.get(`/api/records/${recordId}/documents/${list.documents[0].documentId}/content`)).statusCode, 403);
    const cda = readFileSync(new URL('VAC_2023.01.xml', CDA_DIR));
    const { depositDocument } = await import('../src/documents/deposit');
    await assert.rejects(
      depositDocument(t.ctx, new FileBlobStore(blobDir), { kind: 'professional', id: '10001234565', name: 'Dr Claire MARTIN' }, { recordId: other.recordId, insMatricule: '278029935000801' }, { bytes: cda }),
      /autre patient/,
    );
  });
});

describe('traceability of document actions', () => {
  it('traces the list, the opening, the deposit, the mask, the deletion and a refusal in the record’s history', async () => {
    const t = await startTestApp();
    try {
      await loadDemoDirectoriesIfEmpty(t.ctx);
      const { client, recordId } = await signedInPatient(t, DOMINIQUE);
      const note = (await client.post(`/api/records/${recordId}/notes`, { title: 'Note', text: 'Texte' })).json();
      await client.get(`/api/records/${recordId}/documents`);
      await client.get(`/api/records/${recordId}/documents/${note.documentId}/content`);
      await client.post(`/api/records/${recordId}/documents/${note.documentId}/mask`, { masked: true });
      await client.request('DELETE', `/api/records/${recordId}/documents/${note.documentId}`);
      const intruder = await signedInPatient(t, { nir: '278029935000801', serial: '1619813652925054', email: 'fatima.elamrani@example.net' });
      assert.equal((await intruder.client.get(`/api/records/${recordId}/documents`)).statusCode, 403);

      const { readHistory } = await import('../src/audit/trail');
      const { auditCipher } = await import('../src/audit/recorder');
      const history = await readHistory(t.ctx.database.db, recordId, auditCipher(t.ctx.database.db, t.ctx.masterKey, t.clock.now()), { limit: 100 });
      const seen = history.map((e) => `${e.action}:${e.allowed ? 'allowed' : 'denied'}`);
      for (const expected of ['create:allowed', 'login:allowed', 'deposit:allowed', 'read-list:allowed', 'open-document:allowed', 'mask:allowed', 'delete:allowed', 'read-list:denied']) {
        assert.ok(seen.includes(expected), `${expected} in ${seen.join(', ')}`);
      }
    } finally {
      await t.close();
    }
  });
});

describe('documents on an S3-compatible object store', () => {
  it('deposits, lists and opens a document whose sealed bytes live in the bucket', async () => {
    const { createRequire } = await import('node:module');
    const S3rver = createRequire(import.meta.url)('s3rver') as new (options: object) => { run(): Promise<{ port: number }>; close(): Promise<void> };
    const directory = mkdtempSync(join(tmpdir(), 'documents-s3-'));
    const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: 'opendmp-docs' }] });
    const { port } = await server.run();
    // The SDK reads the standard credential variables, as in production.
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    const t = await startTestApp({ env: { BLOB_STORE: `s3://opendmp-docs/blobs?endpoint=http://127.0.0.1:${port}&region=us-east-1` } });
    try {
      await loadDemoDirectoriesIfEmpty(t.ctx);
      const { client, recordId } = await signedInPatient(t, DOMINIQUE);
      const body = multipart({ typeCode: 'DOCPAT03', title: 'Compte rendu stocké en S3' }, { name: 'cr.pdf', type: 'application/pdf', bytes: PDF });
      const res = await client.request('POST', `/api/records/${recordId}/documents`, body.payload, { headers: body.headers });
      assert.equal(res.statusCode, 201, res.body);
      const content = await client.get(`/api/records/${recordId}/documents/${res.json().documentId}/content`);
      assert.deepEqual(content.rawPayload, PDF);
      const stored = walk(directory).filter((f) => !f.endsWith('.json') && statSync(f).size > 0);
      assert.ok(stored.length > 0, 'the object is in the bucket');
      for (const f of stored) assert.ok(!readFileSync(f).includes(Buffer.from('%PDF')), `${f} holds no plaintext`);
    } finally {
      await t.close();
      await server.close();
    }
  });
});

function walk(dir: string): string[] {
  return list(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
