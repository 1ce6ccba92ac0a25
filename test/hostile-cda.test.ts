import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import type { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { multipart } from './helpers/multipart';
import { DOMINIQUE, signedInPatient } from './helpers/patients';
import { CLAIRE_MARTIN, professionalClient } from './helpers/professionals';

/**
 * Security review #11 (A): a CDA is parsed by a DOM parser, which costs seconds for a large or
 * deep document. A hostile one must be refused before that, and a big honest one must not hold
 * the event loop: the service keeps answering meanwhile.
 */

const VAC = readFileSync(new URL('../demo/cda/VAC_2023.01.xml', import.meta.url), 'utf8');
/** The vaccination CDA (Dominique's) with something put at the start of its structured body. */
const vacWith = (inside: string) => {
  assert.ok(VAC.includes('<structuredBody>'));
  return Buffer.from(VAC.replace('<structuredBody>', `<structuredBody>${inside}`));
};
// /healthz's worst latency during each upload is measured and printed (the figure of #11), not
// asserted: timing depends on the machine's load, and performance is a benchmark's business.

describe('hostile CDA deposits', () => {
  let t: TestApp;
  let claire: TestClient;
  let recordId: string;
  let base: string;
  let blobDir: string;

  before(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'hostile-cda-'));
    t = await startTestApp({ env: { BLOB_STORE: `file:${blobDir}` } });
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ recordId } = await signedInPatient(t, DOMINIQUE));
    claire = await professionalClient(t, CLAIRE_MARTIN);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => t.close());

  const documentCount = async () => (await claire.get(`/api/pro/records/${recordId}/documents?limit=100`)).json().total as number;
  const blobCount = () => readdirSync(blobDir, { recursive: true }).length;

  /** Deposits while asking /healthz over the network every 10 ms; the upload's time and /healthz's worst latency. */
  async function depositWhileProbing(bytes: Buffer) {
    const body = multipart({ typeCode: '11369-6' }, { name: 'doc.xml', type: 'text/xml', bytes });
    let done = false;
    let worst = 0;
    const probe = async () => {
      while (!done) {
        const sent = performance.now();
        const res = await fetch(`${base}/healthz`);
        assert.equal(res.status, 200);
        await res.arrayBuffer();
        worst = Math.max(worst, performance.now() - sent);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const probes = [probe(), probe(), probe()];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    const res = await claire.request('POST', `/api/pro/records/${recordId}/documents`, body.payload, { headers: body.headers });
    const uploadMs = performance.now() - started;
    done = true;
    await Promise.all(probes);
    t.ctx.logger.info({ uploadMs: Math.round(uploadMs), worstHealthzMs: Math.round(worst), bytes: bytes.length }, 'hostile-cda measure');
    console.log(`# upload ${bytes.length} bytes: ${Math.round(uploadMs)} ms, worst /healthz ${Math.round(worst)} ms`);
    return { res, uploadMs, worst };
  }

  it('refuses a CDA of 100,000 nested elements with a 400 on the file, storing nothing, and /healthz keeps answering', async () => {
    const hostile = vacWith('<component><section><text>' + '<content>'.repeat(100_000) + 'x' + '</content>'.repeat(100_000) + '</text></section></component>');
    assert.ok(hostile.length > 1.5 * 1024 * 1024);
    const [documents, blobs] = [await documentCount(), blobCount()];
    const { res } = await depositWhileProbing(hostile);
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().errors[0].field, 'file');
    assert.match(res.json().errors[0].message, /imbriqués/);
    assert.equal(await documentCount(), documents);
    assert.equal(blobCount(), blobs);
  });

  it('refuses a CDA of 3,000 nested sections at deposit, which no view could show', async () => {
    const sections = vacWith('<component><section><title>T</title>'.repeat(3000) + '</section></component>'.repeat(3000));
    const res = (await depositWhileProbing(sections)).res;
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().errors[0].field, 'file');
  });

  it('refuses a CDA of more than 200,000 elements', async () => {
    const res = (await depositWhileProbing(vacWith('<component><section><text>' + '<br/>'.repeat(200_001) + '</text></section></component>'))).res;
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().errors[0].message, /éléments/);
  });

  it('takes a large honest CDA (150,000 elements) without holding the event loop', async () => {
    const large = vacWith('<component><section><title>Mesures</title><text>' + '<br/>'.repeat(150_000) + '</text></section></component>');
    const documents = await documentCount();
    const { res } = await depositWhileProbing(large);
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().format, 'cda');
    assert.equal(await documentCount(), documents + 1);
  });
});
