import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { DEMO_FILES, loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { loadDirectoryFile, type LoadProgress } from '../src/directory/load';
import { findInsuredPerson, listPersonsOnCard } from '../src/directory/lookup';
import { createTestDatabase, type TestDatabase } from './helpers/database';

const run = promisify(execFile);

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'directory-')), name);
  writeFileSync(path, text);
  return path;
}

describe('loading the reference directories', () => {
  let t: TestDatabase;
  let ctx: { database: TestDatabase['database']; masterKey: Buffer };
  before(async () => {
    t = await createTestDatabase();
    ctx = { database: t.database, masterKey: randomBytes(32) };
  });
  after(async () => t.drop());

  it('loads the demo directories into an empty database, once', async () => {
    const loaded = await loadDemoDirectoriesIfEmpty(ctx);
    assert.ok(loaded && loaded.insured >= 30 && loaded.professionals >= 15);
    assert.equal(await loadDemoDirectoriesIfEmpty(ctx), null, 'a second start loads nothing');
    const child = await findInsuredPerson(ctx, '115034900701048');
    assert.equal(child?.cardHolderNir, '185054958815725', 'a child is on a parent’s card');
    assert.deepEqual((await listPersonsOnCard(ctx, '185054958815725')).map((p) => p.nir), ['185054958815725', '115034900701048'], 'the card’s holder and child, eldest first');
    const corsican = await findInsuredPerson(ctx, '279022A00415130');
    assert.equal(corsican?.birthName, 'SANTONI');
  });

  it('keeps good lines, reports bad ones with their line number, and updates known keys', async () => {
    const lines = readFileSync(DEMO_FILES.insured, 'utf8').trim().split('\n');
    const header = lines[0]!;
    const nicolas = lines[1]!.replace('nicolas.durand@example.com', 'nicolas.durand@example.org');
    const wrongKey = lines[2]!.replace(/^(\d{13})\d{2}/, '$199');
    const badDate = lines[3]!.replace(/,\d{4}-\d{2}-\d{2},/, ',2015-13-45,');
    const repeated = nicolas;
    const file = tempFile('insured.csv', [header, nicolas, wrongKey, badDate, repeated, 'too,few,fields'].join('\n') + '\n');
    const progress: LoadProgress[] = [];
    const report = await loadDirectoryFile(ctx, 'insured', file, { onProgress: (p) => progress.push(p), batchSize: 2 });
    assert.equal(report.read, 5);
    assert.equal(report.loaded, 2, 'Nicolas (batch 1) and again (batch 2) are upserted');
    assert.deepEqual(report.errors.map((e) => e.line), [3, 4, 6]);
    assert.match(report.errors[0]!.message, /clé/i);
    assert.ok(progress.length >= 2, 'progress is reported batch by batch');
    assert.equal((await findInsuredPerson(ctx, '185054958815725'))?.email, 'nicolas.durand@example.org');
  });

  it('refuses a file whose header lacks columns, naming them', async () => {
    const file = tempFile('pros.csv', 'rpps,last_name\n10001234565,MARTIN\n');
    await assert.rejects(loadDirectoryFile(ctx, 'professionals', file), /first_name/);
  });

  it('reports a repeated key inside one batch', async () => {
    const lines = readFileSync(DEMO_FILES.professionals, 'utf8').trim().split('\n');
    const file = tempFile('pros.csv', [lines[0], lines[1], lines[1]].join('\n'));
    const report = await loadDirectoryFile(ctx, 'professionals', file);
    assert.equal(report.loaded, 1);
    assert.match(report.errors[0]?.message ?? '', /ligne 2/);
  });
});

describe('command line', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase({ migrated: false });
  });
  after(async () => t.drop());
  const cli = (args: string[], env: Record<string, string>) =>
    run(process.execPath, ['--import', 'tsx', 'src/app/cli/main.ts', ...args], {
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', ...env },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('stops on a bad setting with one line naming it', async () => {
    const result = await cli(['migrate'], { PORT: 'abc' });
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, /^Configuration error: PORT: /);
  });

  it('loads a directory file with a progress report and the list of bad lines', async () => {
    // The command works on its own database: a fresh one on the server, or an embedded one in a new folder.
    const env: Record<string, string> = t.url ? { DATABASE_URL: t.url } : { DATA_DIR: mkdtempSync(join(tmpdir(), 'cli-data-')) };
    const lines = readFileSync(DEMO_FILES.professionals, 'utf8').trim().split('\n');
    const file = tempFile('pros.csv', [lines[0], lines[1], lines[2]!.replace(/^\d{11}/, '12345678901')].join('\n'));
    const result = await cli(['directory:load', 'professionals', file], env);
    assert.equal(result.code, 1, 'a file with bad lines ends with a non-zero status');
    assert.match(result.stderr, /2 lignes lues, 1 chargées, 1 refusées/);
    assert.match(result.stdout, /ligne 3 : .*RPPS/i);
  });
});
