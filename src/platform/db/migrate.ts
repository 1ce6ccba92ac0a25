import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database, SqlSession } from './database';

/**
 * Versioned SQL migrations, the same files for PGlite and PostgreSQL.
 * Each file runs once, in its own transaction; its checksum is kept so that a
 * migration edited after it shipped is refused instead of silently diverging.
 * An advisory lock lets many nodes start at once: one migrates, the others wait.
 *
 * Hand-made on purpose: Kysely's own Migrator runs TypeScript modules and keeps no checksum, and
 * node-pg-migrate needs a pg connection, which the embedded PGlite is not. Plain SQL files run
 * the same on both databases and are read as they are by whoever reviews a schema change.
 *
 * Some changes need what SQL cannot compute (sealing existing rows under a key derived from the
 * master key). Such a file holds a line `-- data-step: <name>`: the SQL above it runs, then the
 * TypeScript step of that name given by the caller (src/app/cli/migrations.ts), then the SQL
 * below it, all in the migration's one transaction, so the rows are converted before the clear
 * columns are dropped, or nothing happens at all.
 */

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;
const LOCK_KEY = 726_2001; // any constant shared by every node of the service
const DATA_STEP = /^-- data-step: ([a-z0-9-]+)[ \t]*$/m;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
  /** The TypeScript step the file names, if any: its SQL runs around it. */
  dataStep?: string;
}

/** What a migration's data step does, on the migration's own connection and transaction. */
export type DataStep = (session: SqlSession) => Promise<void>;
export type DataSteps = Readonly<Record<string, DataStep>>;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const migrations = files.map((file) => {
    const match = FILE_NAME.exec(file);
    if (!match) throw new MigrationError(`Migration file name not understood: ${file} (expected 0001_name.sql)`);
    const sql = readFileSync(new URL(file, `file://${dir.endsWith('/') ? dir : dir + '/'}`), 'utf8');
    const dataStep = DATA_STEP.exec(sql)?.[1];
    return { version: Number(match[1]), name: match[2]!, sql, checksum: sha256(sql), ...(dataStep ? { dataStep } : {}) };
  });
  // A gap is allowed (branches reserve numbers and merge in any order); a duplicate is not, and
  // applyPending refuses to run a migration older than one already applied.
  migrations.forEach((m, i) => {
    const before = i === 0 ? 0 : migrations[i - 1]!.version;
    if (m.version <= before) throw new MigrationError(`Migration versions must increase: ${m.version} found after ${before}`);
  });
  return migrations;
}

/** Applies the pending migrations; returns the versions it applied. */
export async function migrate(database: Database, migrations = readMigrations(), dataSteps: DataSteps = {}): Promise<number[]> {
  return database.withSession(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      await session.exec(BOOKKEEPING_TABLE);
      return await applyPending(session, migrations, dataSteps);
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
    }
  });
}

const BOOKKEEPING_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migration (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE schema_migration IS 'scope:system';`;

async function applyPending(session: SqlSession, migrations: Migration[], dataSteps: DataSteps): Promise<number[]> {
  const rows = await session.query<{ version: number; checksum: string }>(
    'SELECT version, checksum FROM schema_migration ORDER BY version',
  );
  const applied = new Map(rows.map((r) => [r.version, r.checksum]));
  const done: number[] = [];
  const latest = Math.max(0, ...applied.keys());
  for (const m of migrations) {
    const checksum = applied.get(m.version);
    if (checksum !== undefined) {
      if (checksum !== m.checksum) {
        throw new MigrationError(
          `Migration ${fileName(m)} was changed after it was applied: write a new migration instead`,
        );
      }
      continue;
    }
    if (m.version < latest) {
      throw new MigrationError(`Migration ${fileName(m)} is older than ${latest}, already applied: renumber it above ${latest}`);
    }
    const step = m.dataStep ? dataSteps[m.dataStep] : undefined;
    if (m.dataStep && !step) throw new MigrationError(`Migration ${fileName(m)} needs its data step "${m.dataStep}": run it through the service's commands`);
    const [before, after] = step ? splitAtStep(m.sql) : [m.sql, ''];
    try {
      await session.exec(`BEGIN;\n${before}`);
      if (step) await step(session);
      await session.exec(
        `${after}\n;\nINSERT INTO schema_migration (version, name, checksum) VALUES (${m.version}, '${m.name}', '${m.checksum}');\nCOMMIT;`,
      );
    } catch (error) {
      await session.exec('ROLLBACK').catch(() => {});
      throw new MigrationError(`Migration ${fileName(m)} failed: ${(error as Error).message}`);
    }
    done.push(m.version);
  }
  return done;
}

function splitAtStep(sql: string): [string, string] {
  const at = DATA_STEP.exec(sql)!;
  return [sql.slice(0, at.index), sql.slice(at.index + at[0].length)];
}

function fileName(m: Migration): string {
  return `${String(m.version).padStart(4, '0')}_${m.name}.sql`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
