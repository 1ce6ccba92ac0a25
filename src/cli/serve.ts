import { systemClock } from '../core/clock';
import type { Config } from '../core/config';
import type { AppContext } from '../core/context';
import { resolveMasterKey } from '../core/crypto/keys';
import { openDatabase } from '../core/db/database';
import { migrate } from '../core/db/migrate';
import { databaseTarget } from '../core/db/target';
import { createLogger } from '../core/logging';
import { loadDemoDirectoriesIfEmpty } from '../directory/demo';
import { buildServer } from '../http/server';

/** Starts the whole service: schema up to date, demo data if asked, then HTTP. */
export async function serveCommand(config: Config, _args: string[]): Promise<void> {
  const started = Date.now();
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(databaseTarget(config));
  await migrate(database);
  const ctx: AppContext = { config, database, clock: systemClock, logger, masterKey: resolveMasterKey(config) };
  if (config.DEMO_DATA) {
    const loaded = await loadDemoDirectoriesIfEmpty(database);
    if (loaded) logger.info({ insured: loaded.insured, professionals: loaded.professionals }, 'demo directories loaded');
  }
  const app = await buildServer(ctx);
  await app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ database: database.kind, ms: Date.now() - started }, `OpenDMP is ready on ${config.PUBLIC_URL}`);

  const stop = async (signal: string) => {
    logger.info({ signal }, 'stopping');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
