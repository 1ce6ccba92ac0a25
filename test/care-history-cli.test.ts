import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from './helpers/database';

const run = promisify(execFile);

/** The operators' command for the Assurance Maladie's file (src/app/cli/care-history.ts). */
describe('care-history:import from the command line', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase({ migrated: false });
  });
  after(async () => t.drop());

  it('reports lines, persons without a DMP and every refused line, and ends non-zero when a line was refused', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cli-care-'));
    const env: Record<string, string> = t.url ? { DATABASE_URL: t.url } : { DATA_DIR: join(folder, 'data') };
    const file = join(folder, 'remboursements.csv');
    writeFileSync(
      file,
      [
        'ins,claim_id,care_date,kind,label,quantity,professional',
        '185054958815725,c-1,2026-01-10,consultation,Consultation,1,Dr Claire MARTIN',
        '185054958815725,c-2,2026-01-10,radiesthesie,Pendule,1,',
      ].join('\n'),
    );
    const result = await run(process.execPath, ['--import', 'tsx', 'src/app/cli/main.ts', 'care-history:import', file], {
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', BLOB_STORE: `file:${join(folder, 'blobs')}`, ...env },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /2 lignes lues, 1 refusées, 1 personnes\./);
    assert.match(result.stdout, /sans DMP : 1/);
    assert.match(result.stdout, /ligne 3 : Colonne « kind » : type de soin inconnu/);
  });
});
