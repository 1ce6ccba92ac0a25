/**
 * Benchmark: the cost of one login (the Argon2id password hash) and how many
 * logins per second the server sustains while other requests keep answering.
 * Run: npm run bench:login   (DATABASE_URL=postgres://… for PostgreSQL)
 */
import { performance } from 'node:perf_hooks';
import { openRecordWithAccount } from '../src/accounts/open-record';
import { accountsDb } from '../src/accounts/store';
import { hashPassword } from '../src/accounts/password-hash';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { findInsuredPerson } from '../src/directory/lookup';
import { readFileSync } from 'node:fs';
import { DEMO_FILES } from '../src/directory/demo';
import { backend, BenchClient, ms, percentile, runConcurrently, startBenchApp } from './harness';

const PASSWORD = 'Brindille-Ocre-Tamis-42';
const ACCOUNTS = 30;
const LOGINS_PER_ACCOUNT = 10; // the per-identifier limit is 10 per 15 minutes

const hashTimes: number[] = [];
for (let i = 0; i < 20; i++) {
  const t0 = performance.now();
  await hashPassword(PASSWORD);
  hashTimes.push(performance.now() - t0);
}

const { t, url } = await startBenchApp();
await loadDemoDirectoriesIfEmpty(t.ctx);
// The directory is sealed (migration 0019): the NIRs come from the demo file it was loaded from (its first column).
const nirs = readFileSync(DEMO_FILES.insured, 'utf8').trim().split('\n').slice(1, ACCOUNTS + 1).map((line) => line.split(',')[0]!);
const hash = await hashPassword(PASSWORD);
const loginIds: string[] = [];
for (const [i, nir] of nirs.entries()) {
  const person = await findInsuredPerson(t.ctx, nir);
  if (!person) throw new Error(`no directory entry for ${nir}`);
  const loginId = `bch${String(1000 + i)}`;
  await accountsDb(t.ctx)
    .transaction()
    .execute((trx) => openRecordWithAccount(trx, t.ctx.masterKey, person, { kind: 'agent', id: 'bench' }, { mobile: '+33639980099', email: null }, hash, t.ctx.clock.now(), loginId));
  loginIds.push(loginId);
}

async function probeLatency(stop: () => boolean): Promise<number[]> {
  const out: number[] = [];
  while (!stop()) {
    const t0 = performance.now();
    await fetch(`${url}/readyz`);
    out.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return out;
}

let idle = false;
const baseline = probeLatency(() => idle);
await new Promise((r) => setTimeout(r, 1500));
idle = true;
const quiet = await baseline;

let done = false;
const underLoad = probeLatency(() => done);
let refused = 0;
const total = ACCOUNTS * LOGINS_PER_ACCOUNT;
const run = await runConcurrently(total, 8, async (i) => {
  const client = new BenchClient(url, `10.1.${Math.floor(i / 250)}.${i % 250}`);
  const res = await client.request('POST', '/api/auth/login', { loginId: loginIds[i % ACCOUNTS], password: PASSWORD });
  if (res.status !== 200) refused++;
  await res.arrayBuffer();
});
done = true;
const loaded = await underLoad;
await t.close();

console.log(`backend: ${backend()}`);
console.log(`one Argon2id hash (19 MiB, t=2): median ${ms(percentile(hashTimes, 50))}, p95 ${ms(percentile(hashTimes, 95))}`);
console.log(`logins (password step + code sent): ${(total / run.seconds).toFixed(1)} per second over ${total} (${refused} refused), p50 ${ms(percentile(run.durations, 50))}, p95 ${ms(percentile(run.durations, 95))}`);
console.log(`GET /readyz meanwhile: p50 ${ms(percentile(loaded, 50))}, p95 ${ms(percentile(loaded, 95))} (idle: p50 ${ms(percentile(quiet, 50))}, p95 ${ms(percentile(quiet, 95))})`);
