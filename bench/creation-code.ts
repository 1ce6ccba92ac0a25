/**
 * Benchmark (#11 finding 7): does the answer to a creation-code request take longer when the NIR
 * is insured (a code and a message follow) than when it is unknown? Known and unknown NIRs are
 * asked alternately, each once (the per-NIR limit), one at a time over HTTP, and the two timings
 * compared: medians, and Welch's t (|t| above about 2 would mean the difference is real), as the
 * server sends the answer and as this client, in the same process, reads it.
 * Run: npm run bench:creation-code   (DATABASE_URL=postgres://… for PostgreSQL)
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { creationCodeRequestsSettled } from '../src/accounts/creation-code-requests';
import { DEMO_FILES, loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { computeNirKey } from '../src/identity/nir';
import { backend, BenchClient, ms, percentile, startBenchApp } from './harness';

const TRIES = 80;

/** The answer's time as the server sees it (arrival to last byte written), per request path. */
const answered: number[] = [];
const { t, url } = await startBenchApp({
  routes: (app) =>
    app.addHook('onResponse', async (request, reply) => {
      if (request.url === '/api/creation/code-requests') answered.push(reply.elapsedTime);
    }),
});
await loadDemoDirectoriesIfEmpty(t.ctx);
// The directory is sealed (migration 0019): the NIRs come from the demo file it was loaded from (its first column).
const known = readFileSync(DEMO_FILES.insured, 'utf8').trim().split('\n').slice(1, TRIES + 1).map((line) => line.split(',')[0]!);
const directory = new Set(known);
/** Valid NIRs (right key) that no insured person holds. */
const unknown: string[] = [];
for (let n = 0; unknown.length < known.length; n++) {
  const first13 = `1850578${String(100 + n).padStart(3, "0")}${String(101 + n).padStart(3, "0")}`.slice(0, 13);
  const nir = first13 + String(computeNirKey(first13)).padStart(2, '0');
  if (!directory.has(nir)) unknown.push(nir);
}

async function ask(nir: string, i: number): Promise<number> {
  const client = new BenchClient(url, `10.9.${Math.floor(i / 250)}.${i % 250}`);
  await client.request('GET', '/healthz');
  const t0 = performance.now();
  const res = await client.request('POST', '/api/creation/code-requests', { nir, nirConfirmation: nir });
  const body = await res.text();
  const elapsed = performance.now() - t0;
  if (res.status !== 202) throw new Error(`code request for ${nir} answered ${res.status}: ${body}`);
  // Let the previous request's work end, so that each answer is timed on a quiet service.
  await creationCodeRequestsSettled(t.ctx);
  return elapsed;
}
const served = { known: [] as number[], unknown: [] as number[] };

const knownTimes: number[] = [];
const unknownTimes: number[] = [];
for (let i = 0; i < known.length; i++) {
  knownTimes.push(await ask(known[i]!, 2 * i));
  served.known.push(answered.at(-1)!);
  unknownTimes.push(await ask(unknown[i]!, 2 * i + 1));
  served.unknown.push(answered.at(-1)!);
}
await t.close();

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const variance = (v: number[]) => v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1);
const welch = (a: number[], b: number[]) => (mean(a) - mean(b)) / Math.sqrt(variance(a) / a.length + variance(b) / b.length);

console.log(`backend: ${backend()}, ${known.length} tries each`);
console.log('answer as the server sends it (arrival to last byte):');
console.log(`  insured NIR: median ${ms(percentile(served.known, 50))}, p90 ${ms(percentile(served.known, 90))}`);
console.log(`  unknown NIR: median ${ms(percentile(served.unknown, 50))}, p90 ${ms(percentile(served.unknown, 90))}`);
console.log(`  difference of medians ${ms(percentile(served.known, 50) - percentile(served.unknown, 50))}, Welch t = ${welch(served.known, served.unknown).toFixed(2)}`);
console.log('answer as this in-process client reads it (it shares its thread with the work that follows an answer, PGlite included):');
console.log(`  insured NIR: median ${ms(percentile(knownTimes, 50))}, p90 ${ms(percentile(knownTimes, 90))}`);
console.log(`  unknown NIR: median ${ms(percentile(unknownTimes, 50))}, p90 ${ms(percentile(unknownTimes, 90))}`);
console.log(`  difference of medians ${ms(percentile(knownTimes, 50) - percentile(unknownTimes, 50))}, Welch t = ${welch(knownTimes, unknownTimes).toFixed(2)}`);
