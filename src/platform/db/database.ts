import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { Mutex } from './mutex';
import { PGliteDialect } from './pglite-dialect';

/** A plain SQL session on one connection: scripts of several statements (migrations) and admin queries. */
export interface SqlSession {
  exec(script: string): Promise<void>;
  query<R>(text: string, params?: unknown[]): Promise<R[]>;
}

/**
 * The system of record. Feature modules see it through `db`, typed with their
 * own tables (`db.withTables<MyTables>()`), so that each module owns its schema.
 */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Kysely<object>;
  /** Runs `fn` on one dedicated connection (what migrations and locks need). */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type DatabaseTarget = { url: string } | { pgliteDir: string } | { memory: true };

// Both back ends return the same JavaScript values: 64-bit counts as numbers (they fit),
// calendar dates (`date`) as 'yyyy-mm-dd' strings, never shifted by a time zone.
const DATE_OID = 1082;
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(DATE_OID, (v) => v);
const pgliteParsers = { [DATE_OID]: (v: string) => v, 20: (v: string) => Number(v) };

/** Whether the database answers a query now: what readiness probes ask. */
export async function databaseAnswers(database: Pick<Database, 'db'>): Promise<boolean> {
  try {
    await sql`SELECT 1`.execute(database.db);
    return true;
  } catch {
    return false;
  }
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if ('url' in target) return openPostgres(target.url);
  if ('pgliteDir' in target) mkdirSync(target.pgliteDir, { recursive: true });
  return openPGlite('pgliteDir' in target ? target.pgliteDir : undefined);
}

function openPostgres(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<object>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (script) => void (await client.query(script)),
          query: async (text, params) => (await client.query(text, params as unknown[])).rows,
        });
      } finally {
        client.release();
      }
    },
    close: () => db.destroy(),
  };
}

async function openPGlite(dataDir: string | undefined): Promise<Database> {
  const pglite = await PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers: pgliteParsers });
  const mutex = new Mutex();
  const db = new Kysely<object>({ dialect: new PGliteDialect(pglite, mutex) });
  return {
    kind: 'pglite',
    db,
    async withSession(fn) {
      const release = await mutex.acquire();
      try {
        return await fn({
          exec: async (script) => void (await pglite.exec(script)),
          query: async <R>(text: string, params?: unknown[]) => (await pglite.query<R>(text, params)).rows,
        });
      } finally {
        release();
      }
    },
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}
