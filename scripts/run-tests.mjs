#!/usr/bin/env node
// Finds the test files of the given suites and runs them with Node's test runner.
//   unit:        src/**/*.test.ts, shared/**/*.test.ts (pure rules, beside their code)
//   integration: test/**/*.test.ts       (server in-process on an isolated database), except test/e2e
//   e2e:         test/e2e/**/*.test.ts   (a real Chromium driving the served pages)
// Node 20's runner does not expand globs itself, hence this script.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const suites = {
  unit: () => [...find('src'), ...find('shared')],
  integration: () => find('test').filter((f) => !f.startsWith(join('test', 'e2e'))),
  e2e: () => find(join('test', 'e2e')),
};

function find(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(find(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out.sort();
}

const requested = process.argv.slice(2);
const unknown = requested.filter((s) => !(s in suites));
if (requested.length === 0 || unknown.length) {
  console.error(`usage: run-tests.mjs <${Object.keys(suites).join('|')}>...`);
  process.exit(2);
}
const files = requested.flatMap((s) => suites[s]());
const concurrency = process.env.TEST_CONCURRENCY ?? (requested.includes('e2e') ? '1' : '2');
// --no-wasm-code-gc: one CI run died in V8 itself ("Check failed: jit_page_->allocations_.erase(addr)
// == 1", in UnregisterWasmAllocation on a background thread) while PGlite's WebAssembly ran, on
// Node 24.21. V8 frees single pieces of WebAssembly code only through its code GC; without it, code
// stays until its module dies, which costs a little memory per test process and nothing else.
const result = spawnSync(
  process.execPath,
  ['--no-wasm-code-gc', '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=180000', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
