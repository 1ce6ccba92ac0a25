import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database';
import { migrate, MigrationError, readMigrations } from './migrate';

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('migrations', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase({ migrated: false });
  });
  after(async () => t.drop());

  it('applies each pending migration once, in order', async () => {
    const dir = migrationsDir({
      '0001_first.sql': 'CREATE TABLE t1 (id int PRIMARY KEY); COMMENT ON TABLE t1 IS $$scope:system$$;',
      '0002_second.sql': 'ALTER TABLE t1 ADD COLUMN label text;',
    });
    assert.deepEqual(await migrate(t.database, readMigrations(dir)), [1, 2]);
    assert.deepEqual(await migrate(t.database, readMigrations(dir)), []);
    await sql`INSERT INTO t1 (id, label) VALUES (1, 'x')`.execute(t.database.db);
  });

  it('refuses a migration edited after it was applied', async () => {
    const dir = migrationsDir({
      '0001_first.sql': 'CREATE TABLE t1 (id int PRIMARY KEY); -- edited',
      '0002_second.sql': 'ALTER TABLE t1 ADD COLUMN label text;',
    });
    await assert.rejects(migrate(t.database, readMigrations(dir)), /0001_first\.sql was changed/);
  });

  it('rolls back a failing migration entirely and names it', async () => {
    const dir = migrationsDir({
      '0001_first.sql': 'CREATE TABLE t1 (id int PRIMARY KEY); COMMENT ON TABLE t1 IS $$scope:system$$;',
      '0002_second.sql': 'ALTER TABLE t1 ADD COLUMN label text;',
      '0003_broken.sql': 'CREATE TABLE t3 (id int); SELECT no_such_function();',
    });
    await assert.rejects(migrate(t.database, readMigrations(dir)), (e: Error) => {
      assert.ok(e instanceof MigrationError);
      assert.match(e.message, /0003_broken\.sql failed/);
      return true;
    });
    const exists = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 't3'`.execute(t.database.db);
    assert.equal(exists.rows[0]?.n, 0, 'half of a failed migration must not stay');
  });

  it('refuses gaps and badly named files', () => {
    assert.throws(() => readMigrations(migrationsDir({ '0001_a.sql': '', '0003_c.sql': '' })), /follow each other/);
    assert.throws(() => readMigrations(migrationsDir({ 'first.sql': '' })), /not understood/);
  });

  it('ships migrations that apply on a fresh database', async () => {
    const fresh = await createTestDatabase({ migrated: false });
    try {
      const applied = await migrate(fresh.database);
      assert.equal(applied.length, readMigrations().length);
    } finally {
      await fresh.drop();
    }
  });
});
