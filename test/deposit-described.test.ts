import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import type { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { multipart } from './helpers/multipart';
import { DOMINIQUE, signedInPatient } from './helpers/patients';

/**
 * A document's own header never grants its depositor more than the policy does (DOMAIN.md §5):
 * the patient's side adds only personal-space documents, and can never make one invisible to
 * the patient, whatever a CDA uploaded by them says of itself.
 */

const LAB_REPORT = readFileSync(new URL('../demo/cda/BIO-CR-BIO_2024.01_TSH_1.xml', import.meta.url), 'utf8');
const withConfidentiality = (code: string) => LAB_REPORT.replace(/<confidentialityCode code="N"/, `<confidentialityCode code="${code}"`);

describe('a deposit decided on what its bytes say', () => {
  let t: TestApp;
  let patient: TestClient;
  let recordId: string;
  const upload = (xml: string, fields: Record<string, string> = {}) => {
    const body = multipart({ title: 'Mon document', ...fields }, { name: 'document.xml', type: 'text/xml', bytes: Buffer.from(xml) });
    return patient.request('POST', `/api/records/${recordId}/documents`, body.payload, { headers: body.headers });
  };
  const count = async () => (await patient.get(`/api/records/${recordId}/documents?limit=100`)).json().total as number;

  before(async () => {
    t = await startTestApp({ env: { BLOB_STORE: `file:${mkdtempSync(join(tmpdir(), 'described-'))}` } });
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ client: patient, recordId } = await signedInPatient(t, DOMINIQUE));
  });
  after(async () => t.close());

  it('refuses a lab report whose header gives it a professional’s type, storing nothing', async () => {
    const before = await count();
    const res = await upload(LAB_REPORT);
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().errors[0].field, 'typeCode');
    assert.equal(await count(), before);
  });

  it('refuses a document whose header makes it invisible to the patient, storing nothing', async () => {
    const before = await count();
    const res = await upload(withConfidentiality('INVISIBLE_PATIENT'), { typeCode: 'DOCPAT01' });
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(await count(), before);
  });

  it('takes the same document when it is the patient’s own, visible to them', async () => {
    const res = await upload(LAB_REPORT, { typeCode: 'DOCPAT01' });
    assert.equal(res.statusCode, 201, res.body);
  });
});
