import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentFhirId } from '../src/api/fhir/resources';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { findRecord } from '../src/records/records';
import type { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { multipart } from './helpers/multipart';
import { DOMINIQUE, signedInPatient } from './helpers/patients';
import { CLAIRE_MARTIN, JULIEN_LEFEBVRE, professionalClient } from './helpers/professionals';

/**
 * Masking and deletion belong to the document, every version of it, on every door (DOMAIN.md
 * §5): an earlier version of a masked or deleted document is neither readable nor listed.
 */

const PDF = (n: number) => Buffer.from(`%PDF-1.4\n% version ${n}\n%%EOF\n`);

describe('flags and deletion on every version of a document', () => {
  let t: TestApp;
  let patient: TestClient;
  let claire: TestClient;
  let julien: TestClient;
  let recordId: string;
  let ins: string;

  const deposit = async (title: string) => {
    const body = multipart({ typeCode: '11490-0', title, careDate: '2026-02-01' }, { name: 'v1.pdf', type: 'application/pdf', bytes: PDF(1) });
    const res = await claire.request('POST', `/api/pro/records/${recordId}/documents`, body.payload, { headers: body.headers });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().documentId as string;
  };
  const replace = async (documentId: string) => {
    const body = multipart({ title: 'Version 2' }, { name: 'v2.pdf', type: 'application/pdf', bytes: PDF(2) });
    const res = await claire.request('POST', `/api/pro/records/${recordId}/documents/${documentId}/versions`, body.payload, { headers: body.headers });
    assert.equal(res.statusCode, 201, res.body);
  };
  const binary = (client: TestClient, documentId: string, version: number) => client.get(`/fhir/Binary/${documentFhirId({ recordId, documentId, version })}`);
  const superseded = async (client: TestClient) => {
    const res = await client.get(`/fhir/DocumentReference?patient.identifier=${encodeURIComponent(ins)}&status=superseded`);
    assert.equal(res.statusCode, 200, res.body);
    return ((res.json().entry ?? []) as { resource: { id: string } }[]).map((e) => e.resource.id);
  };

  before(async () => {
    t = await startTestApp({ env: { BLOB_STORE: `file:${mkdtempSync(join(tmpdir(), 'version-flags-'))}` } });
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ client: patient, recordId } = await signedInPatient(t, DOMINIQUE));
    const record = await findRecord(t.ctx, recordId);
    ins = `urn:oid:${record.insOid}|${record.insMatricule}`;
    claire = await professionalClient(t, CLAIRE_MARTIN);
    julien = await professionalClient(t, JULIEN_LEFEBVRE);
    assert.equal((await julien.post(`/api/pro/records/${recordId}/consent`, { consent: true })).statusCode, 200);
  });
  after(async () => t.close());

  it('keeps every version of a masked document from a professional who may not see it', async () => {
    const documentId = await deposit('Compte rendu masqué');
    await replace(documentId);
    assert.equal((await binary(julien, documentId, 1)).statusCode, 200, 'readable before the masking');
    assert.equal((await patient.post(`/api/records/${recordId}/documents/${documentId}/mask`, { masked: true })).statusCode, 200);
    assert.equal((await binary(julien, documentId, 2)).statusCode, 403);
    assert.equal((await binary(julien, documentId, 1)).statusCode, 403, 'the earlier version is masked too');
    assert.ok(!(await superseded(julien)).includes(documentFhirId({ recordId, documentId, version: 1 })), 'nor listed');
    assert.equal((await binary(claire, documentId, 1)).statusCode, 200, 'the médecin traitant still reads it');
  });

  it('keeps the masking on a new version', async () => {
    const documentId = await deposit('Masqué puis remplacé');
    assert.equal((await patient.post(`/api/records/${recordId}/documents/${documentId}/mask`, { masked: true })).statusCode, 200);
    await replace(documentId);
    assert.equal((await binary(julien, documentId, 2)).statusCode, 403);
  });

  it('makes every version of a deleted document unreadable and unlisted', async () => {
    const documentId = await deposit('Compte rendu supprimé');
    await replace(documentId);
    assert.equal((await claire.request('DELETE', `/api/pro/records/${recordId}/documents/${documentId}`)).statusCode, 204);
    const old = await binary(julien, documentId, 1);
    assert.ok(old.statusCode === 403 || old.statusCode === 404, `${old.statusCode} ${old.body}`);
    assert.ok(!(await superseded(julien)).includes(documentFhirId({ recordId, documentId, version: 1 })));
  });
});
