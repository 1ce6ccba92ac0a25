/**
 * Benchmark: the cost of one access decision, sentence included, over a varied
 * set of requests (every API call and every listed document goes through `decide`).
 * Run: npm run bench:access
 */
import { decide, evaluate } from '../src/access/policy';
import { randomRequestGenerator } from '../test/helpers/random-requests';

const DECISIONS = 200_000;

function nsPerCall(run: (index: number) => unknown): number {
  for (let i = 0; i < 20_000; i++) run(i); // warm up the JIT
  const start = process.hrtime.bigint();
  for (let i = 0; i < DECISIONS; i++) run(i);
  return Number(process.hrtime.bigint() - start) / DECISIONS;
}

const next = randomRequestGenerator(7);
const requests = Array.from({ length: 1024 }, next);
const withSentence = nsPerCall((i) => decide(requests[i & 1023]!));
const verdictOnly = nsPerCall((i) => evaluate(requests[i & 1023]!));
console.log(`decide:   ${withSentence.toFixed(0)} ns/decision (with the French sentence), ${(1e9 / withSentence).toFixed(0)} decisions/s`);
console.log(`evaluate: ${verdictOnly.toFixed(0)} ns/decision (allow/deny and rule only)`);
