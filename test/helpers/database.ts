import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/platform/db/database';
import { migrateDatabase } from '../../src/app/cli/migrations';

/**
 * An isolated, migrated database for one test file: a fresh in-memory PGlite,
 * or, when DATABASE_URL is set, a fresh database on that server, dropped after.
 */
export interface TestDatabase {
  database: Database;
  url?: string;
  drop(): Promise<void>;
}

/** `masterKey`: what the migrations' data steps seal with (a fresh database has nothing to seal). */
export async function createTestDatabase(options: { migrated?: boolean; masterKey?: Buffer } = {}): Promise<TestDatabase> {
  const masterKey = options.masterKey ?? randomBytes(32);
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ memory: true });
    if (options.migrated !== false) await migrateDatabase(database, masterKey);
    return { database, drop: () => database.close() };
  }
  const name = `opendmp_test_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  if (options.migrated !== false) await migrateDatabase(database, masterKey);
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      await admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function admin(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
