import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { ManualClock } from '../../src/platform/clock';
import { loadConfig, type Config } from '../../src/platform/config';
import type { AppContext } from '../../src/platform/context';
import { createLogger } from '../../src/platform/logging';
import { buildServer } from '../../src/api/server';
import { createTestDatabase, type TestDatabase } from './database';

/** Everything a test needs: an isolated database, a movable clock, captured logs, the server in-process. */
export interface TestApp {
  ctx: AppContext;
  app: FastifyInstance;
  clock: ManualClock;
  logs: string[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Extra routes a test needs, added before the server is sealed. */
  routes?: (app: FastifyInstance) => void;
  /** Kysely plugins on the service's database handle (e.g. to count the queries a request makes). */
  plugins?: KyselyPlugin[];
}

export async function startTestApp({ env = {}, routes, plugins = [] }: TestAppOptions = {}): Promise<TestApp> {
  const testDb: TestDatabase = await createTestDatabase();
  const config: Config = loadConfig({ NODE_ENV: 'test', DATA_DIR: './data/test', LOG_LEVEL: 'info', ...env });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const clock = new ManualClock();
  const ctx: AppContext = {
    config,
    database: plugins.length ? { ...testDb.database, db: plugins.reduce((db, plugin) => db.withPlugin(plugin), testDb.database.db) } : testDb.database,
    clock,
    logger: createLogger(config.LOG_LEVEL, sink),
    masterKey: randomBytes(32),
  };
  const app = await buildServer(ctx);
  routes?.(app);
  await app.ready();
  return {
    ctx,
    app,
    clock,
    logs,
    async close() {
      await app.close();
      await testDb.drop();
    },
  };
}
