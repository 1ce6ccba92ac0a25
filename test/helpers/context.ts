import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { ManualClock } from '../../src/platform/clock';
import { loadConfig, type Config } from '../../src/platform/config';
import type { AppContext } from '../../src/platform/context';
import { createLogger } from '../../src/platform/logging';
import { buildServer } from '../../src/api/server';
import { createTestDatabase, type TestDatabase } from './database';
import { assertFhirAnswer } from './fhir-schema';
import { freeLocalUrl } from './free-port';

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
  /**
   * Whether every FHIR answer of an in-process request (app.inject, hence TestClient) is checked
   * against the FHIR R4 schema and the PDSm profile (fhir-schema.ts): on, except in benchmarks.
   */
  checkFhir?: boolean;
}

export async function startTestApp({ env = {}, routes, plugins = [], checkFhir = true }: TestAppOptions = {}): Promise<TestApp> {
  const masterKey = randomBytes(32);
  const testDb: TestDatabase = await createTestDatabase({ masterKey });
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
    masterKey,
  };
  const app = await buildServer(ctx);
  routes?.(app);
  await app.ready();
  if (checkFhir) checkFhirAnswers(app);
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

/**
 * Every in-process answer with the FHIR JSON content type is checked before the test sees it: an
 * invalid resource fails the test at the request that received it (fhir-schema.ts).
 * The chained form (`app.inject().get(…)`) and the callback form are left as they are.
 */
function checkFhirAnswers(app: FastifyInstance): void {
  const inject = app.inject.bind(app) as (options?: unknown, callback?: unknown) => unknown;
  const checked = (options?: unknown, callback?: unknown) => {
    if (options === undefined || callback !== undefined) return inject(options, callback);
    return (inject(options) as Promise<LightMyRequestResponse>).then((res) => {
      const { method = 'GET', url = '' } = typeof options === 'string' ? { url: options } : (options as { method?: string; url?: string });
      assertFhirAnswer(res.headers['content-type'] as string | undefined, res.body, `${method} ${url} → ${res.statusCode}`);
      return res;
    });
  };
  (app as { inject: unknown }).inject = checked;
}

/**
 * The test app listening on a loopback port, for clients that speak real HTTP (a published FHIR
 * client, an OpenID client): PUBLIC_URL is its own address, so the absolute links it writes
 * (FHIR attachment urls, Bundle links, OAuth redirects) point back at it.
 */
export async function startListeningTestApp(options: TestAppOptions = {}): Promise<TestApp & { url: string }> {
  const { url, port } = await freeLocalUrl();
  const t = await startTestApp({ ...options, env: { ...options.env, PUBLIC_URL: url } });
  await t.app.listen({ port, host: '127.0.0.1' });
  return { ...t, url };
}
