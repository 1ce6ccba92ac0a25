import type { AppContext, Config } from '../../platform';
import { createLogger, databaseTarget, migrate, openDatabase, resolveMasterKey, systemClock } from '../../platform';

/** An operator's command: the database migrated, a silent logger, the real clock; closed after. */
export async function withContext(config: Config, run: (ctx: AppContext) => Promise<void>): Promise<void> {
  const database = await openDatabase(databaseTarget(config));
  try {
    await migrate(database);
    await run({ config, database, clock: systemClock, logger: createLogger('silent'), masterKey: resolveMasterKey(config) });
  } finally {
    await database.close();
  }
}
