/**
 * Benchmark of the FHIR door (IHE MHD): ITI-65 Provide Document Bundles of one 200 KB CDA each,
 * from parallel clients over HTTP, then ITI-67 searches for a patient with 1,000 documents.
 * Run: npm run bench:fhir   (DATABASE_URL=postgres://… for PostgreSQL; BUNDLES, CLIENTS, SEARCHES)
 *
 * The CDA is the official biology report of Dominique PAT-TROIS (demo/cda, her INS in its header),
 * padded to 200 KB with an XML comment different in each bundle. The software is a professional
 * session (Dr Claire MARTIN, her médecin traitant): a bearer token's check at the provider is not
 * in these figures.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSession } from '../src/accounts/sessions';
import { toProfessional } from '../src/accounts/professional';
import { seedDemoData } from '../src/app/demo/seed';
import { findDirectoryProfessional } from '../src/directory/professional-directory';
import { createBlobStore } from '../src/documents/blob-store';
import { depositDocument } from '../src/documents/deposit';
import { findRecordByIns } from '../src/records/records';
import { backend, ms, percentile, runConcurrently, startBenchApp } from './harness';
import { pdsmBundle } from '../test/helpers/pdsm-bundle';

const BUNDLES = Number(process.env.BUNDLES ?? 200);
const CLIENTS = Number(process.env.CLIENTS ?? 4);
const DOCUMENTS = 1000;
const SEARCHES = Number(process.env.SEARCHES ?? 150); // per page size; the door allows 600 searches an hour per professional
const CDA_SIZE = 200 * 1024;
const DOMINIQUE_NIR = '279035121518989';
const CLAIRE_MARTIN = '10001234565';
const FHIR = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };

// The service with its answers unchecked: the FHIR schema check is the tests' business, not the door's cost.
const { t, url } = await startBenchApp({ checkFhir: false, env: { BLOB_STORE: `file:${mkdtempSync(join(tmpdir(), 'bench-fhir-'))}` } });
const store = createBlobStore(t.ctx.config);
await seedDemoData(t.ctx, store);
const record = await findRecordByIns(t.ctx, DOMINIQUE_NIR);
if (!record) throw new Error('Dominique has no record in the demo data');
const ins = { system: `urn:oid:${record.insOid}`, value: record.insMatricule };

/** Dr Claire MARTIN's software: her professional session (with its CSRF pair), each client from its own address. */
async function claireClient(i: number) {
  const row = await findDirectoryProfessional(t.ctx.database, CLAIRE_MARTIN);
  const professional = toProfessional(row!, { rpps: CLAIRE_MARTIN });
  const { token } = await createSession(t.ctx.database.db, t.ctx.masterKey, { accountId: CLAIRE_MARTIN, actorKind: 'professional', data: { ...professional } }, t.clock.now());
  const forwardedFor = `10.8.0.${i + 1}`;
  const health = await fetch(`${url}/healthz`, { headers: { 'x-forwarded-for': forwardedFor } });
  const csrf = /dmp_csrf=([^;]+)/.exec(health.headers.getSetCookie().join(';'))?.[1] ?? '';
  await health.arrayBuffer();
  const headers = { ...FHIR, 'x-forwarded-for': forwardedFor, cookie: `dmp_session=${token}; dmp_csrf=${csrf}`, 'x-csrf-token': csrf };
  return {
    get: (path: string) => fetch(url + path, { headers }),
    post: (path: string, body: string) => fetch(url + path, { method: 'POST', headers, body }),
  };
}
const clients = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => claireClient(i)));

// ---- 1. ITI-65: one 200 KB CDA a bundle ----
const CDA = readFileSync(new URL('../demo/cda/BIO-CR-BIO_2024.01_TSH_1.xml', import.meta.url), 'utf8');
const CLOSING = '</ClinicalDocument>';
function cdaOf(i: number): Buffer {
  const at = CDA.lastIndexOf(CLOSING);
  const head = `${CDA.slice(0, at)}<!-- bundle ${i} `;
  const tail = ` -->\n${CDA.slice(at)}`;
  const padding = CDA_SIZE - Buffer.byteLength(head) - Buffer.byteLength(tail);
  return Buffer.from(head + 'x'.repeat(Math.max(0, padding)) + tail);
}
/** A PDSm bundle as an LGC sends it (the same builder as the tests): every sharing metadata element, the author by RPPS. */
function bundleOf(i: number): string {
  return JSON.stringify(
    pdsmBundle({
      subject: { reference: `Patient?identifier=${ins.system}|${ins.value}` },
      rpps: CLAIRE_MARTIN,
      documents: [{ bytes: cdaOf(i), contentType: 'text/xml', typeCode: '11502-2', title: `Compte rendu de biologie ${i}` }],
    }),
  );
}
const bodies = Array.from({ length: BUNDLES }, (_, i) => bundleOf(i)); // built before the clock starts
const provided = await runConcurrently(BUNDLES, CLIENTS, async (i) => {
  const res = await clients[i % CLIENTS]!.post('/fhir', bodies[i]!);
  if (res.status !== 200) throw new Error(`bundle ${i}: ${res.status} ${(await res.text()).slice(0, 500)}`);
  await res.arrayBuffer();
});

// ---- 2. ITI-67 for a patient with 1,000 documents ----
const listed = async () => {
  const res = await clients[0]!.get(`/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${ins.system}|${ins.value}`)}&status=current&_count=1`);
  return ((await res.json()) as { total: number }).total;
};
const already = await listed();
const author = { kind: 'professional' as const, id: CLAIRE_MARTIN, name: 'Dr Claire MARTIN' };
const types = ['11502-2', '18748-4', '11490-0', '34112-3', '57833-6'];
await runConcurrently(Math.max(0, DOCUMENTS - already), 4, async (i) => {
  await depositDocument(t.ctx, store, author, { recordId: record.recordId, insMatricule: record.insMatricule }, {
    bytes: Buffer.from(`%PDF-1.4\n% compte rendu ${i}\n%%EOF\n`),
    typeCode: types[i % types.length],
    title: `Compte rendu ${i}`,
    careDate: `20${String(10 + (i % 15))}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
  });
});
const documents = await listed();

async function timeSearch(query: string): Promise<number[]> {
  const durations: number[] = [];
  for (let i = 0; i < SEARCHES; i++) {
    const t0 = performance.now();
    const res = await clients[0]!.get(`/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${ins.system}|${ins.value}`)}&status=current&${query}`);
    const bundle = (await res.json()) as { entry?: unknown[] };
    if (res.status !== 200 || !bundle.entry?.length) throw new Error(`search ${query}: ${res.status}`);
    durations.push(performance.now() - t0);
  }
  return durations;
}
const page20 = await timeSearch('_count=20');
const page100 = await timeSearch('_count=100');
await t.close();

const bytes = Buffer.byteLength(bodies[0]!);
console.log(`backend: ${backend()}`);
console.log(`ITI-65, one ${(CDA_SIZE / 1024).toFixed(0)} KB CDA a bundle (${(bytes / 1024).toFixed(0)} KB of JSON): ${(BUNDLES / provided.seconds).toFixed(1)} bundles/s (${BUNDLES}, ${CLIENTS} clients in parallel), p50 ${ms(percentile(provided.durations, 50))}, p99 ${ms(percentile(provided.durations, 99))}`);
for (const [name, d] of [['_count=20', page20], ['_count=100', page100]] as const) {
  console.log(`ITI-67 for a patient with ${documents} documents, ${name}: p50 ${ms(percentile(d, 50))}, p99 ${ms(percentile(d, 99))} (${SEARCHES} searches, one at a time)`);
}
