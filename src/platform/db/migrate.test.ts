import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database';
import type { SqlSession } from './database';
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

  it('refuses duplicate versions and badly named files; a gap left by another branch is allowed', () => {
    assert.throws(() => readMigrations(migrationsDir({ '0001_a.sql': '', '0001_b.sql': '' })), /must increase/);
    assert.throws(() => readMigrations(migrationsDir({ 'first.sql': '' })), /not understood/);
    assert.deepEqual(readMigrations(migrationsDir({ '0001_a.sql': '', '0003_c.sql': '' })).map((m) => m.version), [1, 3]);
  });

  it('refuses a migration numbered below one already applied (it would run out of order)', async () => {
    const db = await createTestDatabase({ migrated: false });
    try {
      await migrate(db.database, readMigrations(migrationsDir({ '0001_a.sql': 'SELECT 1;', '0003_c.sql': 'SELECT 1;' })));
      const late = migrationsDir({ '0001_a.sql': 'SELECT 1;', '0002_b.sql': 'SELECT 1;', '0003_c.sql': 'SELECT 1;' });
      await assert.rejects(migrate(db.database, readMigrations(late)), /0002_b\.sql is older than 3, already applied/);
    } finally {
      await db.drop();
    }
  });

  it('runs a data step between the two halves of its migration, in the same transaction', async () => {
    const db = await createTestDatabase({ migrated: false });
    const files = {
      '0001_people.sql': 'CREATE TABLE people (id int PRIMARY KEY, name text); COMMENT ON TABLE people IS $$scope:system$$; INSERT INTO people VALUES (1, $$Ann$$), (2, $$Bob$$);',
      '0002_shout.sql': 'ALTER TABLE people ADD COLUMN loud text;\n-- data-step: shout\nALTER TABLE people DROP COLUMN name, ALTER COLUMN loud SET NOT NULL;',
    };
    try {
      await migrate(db.database, readMigrations(migrationsDir({ '0001_people.sql': files['0001_people.sql'] })));
      await assert.rejects(migrate(db.database, readMigrations(migrationsDir(files))), /0002_shout\.sql needs its data step "shout"/);
      const failing = { shout: async () => Promise.reject(new Error('step broke')) };
      await assert.rejects(migrate(db.database, readMigrations(migrationsDir(files)), failing), /0002_shout\.sql failed: step broke/);
      const columns = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'loud'`.execute(db.database.db);
      assert.equal(columns.rows[0]?.n, 0, 'a failed step leaves nothing of its migration');
      const shout = {
        shout: async (session: SqlSession) => {
          for (const row of await session.query<{ id: number; name: string }>('SELECT id, name FROM people')) {
            await session.query('UPDATE people SET loud = $1 WHERE id = $2', [row.name.toUpperCase(), row.id]);
          }
        },
      };
      assert.deepEqual(await migrate(db.database, readMigrations(migrationsDir(files)), shout), [2]);
      const rows = await sql<{ id: number; loud: string }>`SELECT * FROM people ORDER BY id`.execute(db.database.db);
      assert.deepEqual(rows.rows, [{ id: 1, loud: 'ANN' }, { id: 2, loud: 'BOB' }]);
    } finally {
      await db.drop();
    }
  });

  it('ships migrations that apply on a fresh database, with their data steps', async () => {
    // The test helper migrates as the service does (src/app/cli/migrations.ts: the data steps bound to a key).
    const fresh = await createTestDatabase();
    try {
      const applied = await sql<{ n: number }>`SELECT count(*)::int AS n FROM schema_migration`.execute(fresh.database.db);
      assert.equal(applied.rows[0]?.n, readMigrations().length);
    } finally {
      await fresh.drop();
    }
  });
});
