import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import type { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { multipart } from './helpers/multipart';
import { DOMINIQUE, signedInPatient } from './helpers/patients';
import { CLAIRE_MARTIN, professionalClient } from './helpers/professionals';

/**
 * A request opens the record's data key once: reading it (and unwrapping it) again for the
 * list, the titles and the trace of the same request is work for nothing on the hottest path.
 */

/** Counts the statements that read the record_key table. */
function recordKeyReads(): KyselyPlugin & { count: number } {
  const counter = {
    count: 0,
    transformQuery(args: Parameters<KyselyPlugin['transformQuery']>[0]) {
      if (args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node).includes('"name":"record_key"')) counter.count++;
      return args.node;
    },
    async transformResult(args: Parameters<KyselyPlugin['transformResult']>[0]) {
      return args.result;
    },
  };
  return counter;
}

describe('the record key, once per request', () => {
  const reads = recordKeyReads();
  let t: TestApp;
  let claire: TestClient;
  let patient: TestClient;
  let recordId: string;

  before(async () => {
    t = await startTestApp({ env: { BLOB_STORE: `file:${mkdtempSync(join(tmpdir(), 'key-reads-'))}` }, plugins: [reads] });
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ client: patient, recordId } = await signedInPatient(t, DOMINIQUE));
    claire = await professionalClient(t, CLAIRE_MARTIN);
    for (const title of ['Lettre de liaison', 'Radiographie du thorax']) {
      const body = multipart({ typeCode: '11490-0', title, careDate: '2026-02-01' }, { name: 'doc.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n') });
      const res = await claire.request('POST', `/api/pro/records/${recordId}/documents`, body.payload, { headers: body.headers });
      assert.equal(res.statusCode, 201, res.body);
    }
  });
  after(async () => t.close());

  it('reads it once for a professional’s document list (titles opened, the read traced)', async () => {
    reads.count = 0;
    const res = await claire.get(`/api/pro/records/${recordId}/documents?limit=100`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().total, 2);
    assert.equal(reads.count, 1);
  });

  it('reads it once for the patient’s own list', async () => {
    reads.count = 0;
    const res = await patient.get(`/api/records/${recordId}/documents`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(reads.count, 1);
  });

  it('does not keep it from one request to the next: a destroyed key is seen at once', async () => {
    reads.count = 0;
    await claire.get(`/api/pro/records/${recordId}/documents?limit=100`);
    await claire.get(`/api/pro/records/${recordId}/documents?limit=100`);
    assert.equal(reads.count, 2);
  });
});
