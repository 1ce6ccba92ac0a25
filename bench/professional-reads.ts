/**
 * Benchmark: document-list requests per second for a signed-in professional
 * (access decision + list of 20 + the audit event written), and the same work
 * without the audit event, to show what the trail costs on the hot read path.
 * Run: npm run bench:reads   (DATABASE_URL=postgres://… for PostgreSQL)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { professionalAccess } from '../src/access';
import { findRecordByIns } from '../src/records/records';
import { createSession } from '../src/accounts/sessions';
import { seedDemoData } from '../src/app/demo/seed';
import { createBlobStore } from '../src/documents/blob-store';
import { listDocuments } from '../src/documents/reading';
import { requireProfessional } from '../src/api/professional/guard';
import { findDirectoryProfessional } from '../src/directory/professional-directory';
import { toProfessional } from '../src/accounts/professional';
import type { AppContext } from '../src/platform/context';
import { backend, BenchClient, ms, percentile, runConcurrently, startBenchApp } from './harness';

const REQUESTS = Number(process.env.REQUESTS ?? 2000);
const CONCURRENCY = 8;
const CLAIRE_MARTIN = '10001234565'; // Dominique's médecin traitant

let ctxRef: AppContext | null = null;
/** The same work as GET /api/pro/records/:id/documents, minus the audit event. */
function untracedListRoute(app: FastifyInstance) {
  app.get('/bench/untraced/:recordId', { preHandler: requireProfessional }, async (request) => {
    const ctx = ctxRef!;
    const { recordId } = request.params as { recordId: string };
    const access = await professionalAccess(ctx, request.professional!, recordId);
    if (!access.preview('list').allowed) throw new Error('refused');
    const list = await listDocuments(ctx, recordId, { excludeHiddenFromPatient: false, excludeHiddenFromRepresentatives: false, excludeMasked: false }, { limit: 20, offset: 0 });
    return { total: list.total, documents: list.documents.filter(() => access.allows('list')) };
  });
}

const { t, url } = await startBenchApp({ env: { BLOB_STORE: `file:${mkdtempSync(join(tmpdir(), 'bench-reads-'))}` }, routes: untracedListRoute });
ctxRef = t.ctx;
await seedDemoData(t.ctx, createBlobStore(t.ctx.config));
const record = await findRecordByIns(t.ctx, '279035121518989');
if (!record) throw new Error('demo record missing');
const row = await findDirectoryProfessional(t.ctx.database, CLAIRE_MARTIN);
const professional = toProfessional(row!, { rpps: CLAIRE_MARTIN });
const { token } = await createSession(t.ctx.database.db, t.ctx.masterKey, { accountId: CLAIRE_MARTIN, actorKind: 'professional', data: { ...professional } }, t.clock.now());

async function measure(path: string) {
  const client = new BenchClient(url);
  client.setCookie('dmp_session', token);
  for (let i = 0; i < 50; i++) await (await client.request('GET', path)).arrayBuffer(); // warm up
  const run = await runConcurrently(REQUESTS, CONCURRENCY, async () => {
    const res = await client.request('GET', path);
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    await res.arrayBuffer();
  });
  return run;
}

const withTrail = await measure(`/api/pro/records/${record.recordId}/documents?limit=20`);
const withoutTrail = await measure(`/bench/untraced/${record.recordId}`);
await t.close();

console.log(`backend: ${backend()}; ${REQUESTS} requests, ${CONCURRENCY} in flight, a record of 7 documents`);
for (const [name, run] of [['with the audit event', withTrail], ['without it', withoutTrail]] as const) {
  console.log(`professional document list ${name}: ${(REQUESTS / run.seconds).toFixed(0)} requests/s, p50 ${ms(percentile(run.durations, 50))}, p95 ${ms(percentile(run.durations, 95))}`);
}
