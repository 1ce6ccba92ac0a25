import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from './helpers/database';

const run = promisify(execFile);

/** Operators open and close insurance agents' accounts from the command line (src/app/cli/agents.ts). */
describe('agent accounts from the command line', () => {
  let t: TestDatabase;
  let env: Record<string, string>;
  before(async () => {
    t = await createTestDatabase({ migrated: false });
    env = t.url ? { DATABASE_URL: t.url } : { DATA_DIR: mkdtempSync(join(tmpdir(), 'cli-agents-')) };
  });
  after(async () => t.drop());
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/app/cli/main.ts', ...args], {
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', ...env },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('opens an account, prints the identifier and the initial password once, then disables it', async () => {
    const added = await cli('agent:add', '--first-name', 'Sophie', '--last-name', 'Roux', '--office', 'CPAM du Rhône', '--email', 'sophie.roux@cpam.example.fr');
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /identifier: +ag-sroux\n/);
    assert.match(added.stdout, /initial password: +([A-Za-z2-9]{4}-){3}[A-Za-z2-9]{4}\n/);

    const again = await cli('agent:add', '--first-name', 'Sophie', '--last-name', 'Roux', '--office', 'CPAM de Lyon', '--email', 'sophie.roux2@cpam.example.fr');
    assert.match(again.stdout, /identifier: +ag-sroux2\n/, 'a namesake gets the next identifier');

    const disabled = await cli('agent:disable', 'ag-sroux');
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.match(disabled.stdout, /ag-sroux disabled/);
  });

  it('refuses missing details and unknown agents in one line', async () => {
    const missing = await cli('agent:add', '--first-name', 'Paul', '--email', 'not-an-email');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim(), 'Error: missing --last-name, --office');
    const email = await cli('agent:add', '--first-name', 'Paul', '--last-name', 'Girard', '--office', 'CPAM', '--email', 'not-an-email');
    assert.equal(email.code, 1);
    assert.match(email.stderr.trim(), /^Error: not an email address: not-an-email$/);
    const unknown = await cli('agent:disable', 'ag-nobody');
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr.trim(), 'Error: no agent ag-nobody');
  });
});
