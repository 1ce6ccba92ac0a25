/**
 * Benchmark: depositing documents of 200 KB through the HTTP API (multipart,
 * sealed, stored), and listing 50 documents of a patient who has 5,000.
 * Run: npm run bench:documents   (DATABASE_URL=postgres://… for PostgreSQL)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBlobStore } from '../src/documents/blob-store';
import { seedDemoData } from '../src/app/demo/seed';
import { depositDocument } from '../src/documents/deposit';
import { findRecord } from '../src/records/records';
import { backend, BenchClient, ms, percentile, runConcurrently, startBenchApp } from './harness';
import { lastCode } from '../test/helpers/outbox';

const DEPOSITS = Number(process.env.DEPOSITS ?? 200);
const HISTORY = Number(process.env.HISTORY ?? 5000);

const { t, url } = await startBenchApp({ env: { BLOB_STORE: `file:${mkdtempSync(join(tmpdir(), 'bench-blobs-'))}` } });
const store = createBlobStore(t.ctx.config);
await seedDemoData(t.ctx, store);

// Sign in as the demo patient Jean-Baptiste SANTONI (empty record).
const client = new BenchClient(url);
const start = (await (await client.request('POST', '/api/auth/login', { loginId: 'san1976', password: 'Demo-OpenDMP-2026' })).json()) as { challengeId: string };
await client.request('POST', '/api/auth/login/verify', { challengeId: start.challengeId, code: await lastCode(t.ctx, 'login-code') });
const me = (await (await client.request('GET', '/api/me')).json()) as { currentRecordId: string };
const recordId: string = me.currentRecordId;

// 1. Deposits of 200 KB PDFs through the API.
const pdf = (i: number) => Buffer.concat([Buffer.from(`%PDF-1.4\n% document ${i}\n`), randomBytes(200 * 1024), Buffer.from('\n%%EOF\n')]);
const deposit = await runConcurrently(DEPOSITS, 4, async (i) => {
  const form = new FormData();
  form.set('typeCode', 'DOCPAT03');
  form.set('title', `Compte rendu numéro ${i}`);
  form.set('careDate', '2026-01-15');
  form.set('file', new Blob([pdf(i)], { type: 'application/pdf' }), `cr-${i}.pdf`);
  const res = await client.request('POST', `/api/records/${recordId}/documents`, form);
  if (res.status !== 201) throw new Error(`deposit ${i}: ${res.status} ${await res.text()}`);
});

// 2. A history of HISTORY small documents, written through the service (not timed).
const record = await findRecord(t.ctx, recordId);
const author = { kind: 'professional' as const, id: '10001234565', name: 'Dr Claire MARTIN' };
const types = ['11502-2', '18748-4', '11490-0', '34112-3', '57833-6'];
const seeded = performance.now();
await runConcurrently(HISTORY - DEPOSITS, 4, async (i) => {
  const day = String(1 + (i % 28)).padStart(2, '0');
  const month = String(1 + (i % 12)).padStart(2, '0');
  await depositDocument(t.ctx, store, author, { recordId, insMatricule: record.insMatricule }, {
    bytes: Buffer.from(`Compte rendu ${i}`),
    typeCode: types[i % types.length],
    title: `Compte rendu ${i % 2 ? 'de consultation' : 'd’hospitalisation'} ${i}`,
    careDate: `20${String(10 + (i % 15))}-${month}-${day}`,
  });
});
const seedSeconds = (performance.now() - seeded) / 1000;

// 3. Listing 50 documents, as the screen asks for them.
async function timeList(query: string, times = 50) {
  const durations: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const res = await client.request('GET', `/api/records/${recordId}/documents?limit=50&${query}`);
    const body = (await res.json()) as { total: number };
    if (res.status !== 200 || body.total < 1) throw new Error(`list ${query}: ${res.status}`);
    durations.push(performance.now() - t0);
  }
  return durations;
}
const firstPage = await timeList('offset=0');
const deepPage = await timeList('offset=4000');
const byCategory = await timeList('category=biologie');
const byWords = await timeList('words=hospitalisation');
await t.close();

console.log(`backend: ${backend()}`);
console.log(`deposit of 200 KB PDFs over HTTP: ${(DEPOSITS / deposit.seconds).toFixed(1)} documents/s (${DEPOSITS}, 4 in parallel), p50 ${ms(percentile(deposit.durations, 50))}, p95 ${ms(percentile(deposit.durations, 95))}`);
console.log(`(history of ${HISTORY} documents written through the service at ${((HISTORY - DEPOSITS) / seedSeconds).toFixed(0)} documents/s)`);
for (const [name, d] of [['first page', firstPage], ['page at offset 4000', deepPage], ['one category', byCategory], ['words in the title', byWords]] as const) {
  console.log(`list 50 of ${HISTORY}, ${name}: p50 ${ms(percentile(d, 50))}, p95 ${ms(percentile(d, 95))}`);
}
