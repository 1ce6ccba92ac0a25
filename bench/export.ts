/**
 * Benchmark: the copy of a whole record (GET /api/records/:id/copy, a ZIP file) for a patient
 * with 1,000 documents of about 100 KB (incompressible, like PDF or JPEG files): the time it
 * takes and the process's resident memory while it is sent, against the memory before it.
 * The download is read over real HTTP and written to a temporary file, then checked.
 * Run: npm run bench:export   (DATABASE_URL=postgres://… for PostgreSQL; DOCUMENTS, DOCUMENT_KB)
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import { seedDemoData } from '../src/app/demo/seed';
import { createBlobStore } from '../src/documents/blob-store';
import { depositDocument } from '../src/documents/deposit';
import { findRecord } from '../src/records/records';
import { lastCode } from '../test/helpers/outbox';
import { readZip } from '../test/helpers/unzip';
import { backend, BenchClient, runConcurrently, startBenchApp } from './harness';

const DOCUMENTS = Number(process.env.DOCUMENTS ?? 1000);
const DOCUMENT_KB = Number(process.env.DOCUMENT_KB ?? 100);
const MB = 1024 * 1024;

const work = mkdtempSync(join(tmpdir(), 'bench-export-'));
const { t, url } = await startBenchApp({ env: { BLOB_STORE: `file:${join(work, 'blobs')}` } });
const store = createBlobStore(t.ctx.config);
await seedDemoData(t.ctx, store);

// The demo patient Jean-Baptiste SANTONI (empty record), signed in.
const client = new BenchClient(url);
const start = (await (await client.request('POST', '/api/auth/login', { loginId: 'san1976', password: 'Demo-OpenDMP-2026' })).json()) as { challengeId: string };
await client.request('POST', '/api/auth/login/verify', { challengeId: start.challengeId, code: await lastCode(t.ctx, 'login-code') });
const recordId = ((await (await client.request('GET', '/api/me')).json()) as { currentRecordId: string }).currentRecordId;

// DOCUMENTS PDFs written through the service (not measured).
const record = await findRecord(t.ctx, recordId);
const author = { kind: 'professional' as const, id: '10001234565', name: 'Dr Claire MARTIN' };
const pdf = (i: number) => Buffer.concat([Buffer.from(`%PDF-1.4\n% document ${i}\n`), randomBytes(DOCUMENT_KB * 1024 - 32), Buffer.from('\n%%EOF\n')]);
await runConcurrently(DOCUMENTS, 4, async (i) => {
  const day = String(1 + (i % 28)).padStart(2, '0');
  await depositDocument(t.ctx, store, author, { recordId, insMatricule: record.insMatricule }, {
    bytes: pdf(i),
    typeCode: '11490-0',
    title: `Lettre de liaison ${i}`,
    careDate: `2025-${String(1 + (i % 12)).padStart(2, '0')}-${day}`,
  });
});

// Memory: the baseline after a garbage collection; the peak sampled every 2 ms by a worker thread,
// which goes on sampling while synchronous work holds the main thread.
(globalThis as { gc?: () => void }).gc?.();
const before = process.memoryUsage().rss;
const sampler = new Worker(
  `const { parentPort } = require('node:worker_threads');
   let peak = 0;
   const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 2);
   parentPort.on('message', () => { clearInterval(timer); parentPort.postMessage(peak); });`,
  { eval: true },
);
await new Promise((resolve) => setTimeout(resolve, 50));

const file = join(work, 'copie.zip');
const started = performance.now();
const res = await client.request('GET', `/api/records/${recordId}/copy`);
if (res.status !== 200 || !res.body) throw new Error(`copy: ${res.status} ${await res.text()}`);
await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(file));
const seconds = (performance.now() - started) / 1000;
const peak = await new Promise<number>((resolve) => {
  sampler.once('message', resolve);
  sampler.postMessage('stop');
});
await sampler.terminate();
const maxRss = process.resourceUsage().maxRSS * 1024; // the process's peak, seeding included
await t.close();

const archive = readFileSync(file);
const documents = [...readZip(archive).keys()].filter((name) => name.startsWith('documents/')).length;
rmSync(work, { recursive: true, force: true });
if (documents !== DOCUMENTS) throw new Error(`the copy holds ${documents} documents, not ${DOCUMENTS}`);

const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
console.log(`backend: ${backend()}`);
console.log(`copy of ${DOCUMENTS} documents of ${DOCUMENT_KB} KB: ${mb(archive.length)} sent in ${seconds.toFixed(1)} s (${(archive.length / MB / seconds).toFixed(0)} MB/s)`);
console.log(`resident memory: ${mb(before)} before the copy, peak ${mb(peak)} while it is sent (+${mb(peak - before)}); process peak ${mb(maxRss)}`);
