import type { AppContext, Config } from '../../platform';
import { createLogger, databaseTarget, migrate, openDatabase, resolveMasterKey, systemClock } from '../../platform';
import { keyAuditTrail } from '../../audit';

/** An operator's command: the database migrated, a silent logger, the real clock; closed after. */
export async function withContext(config: Config, run: (ctx: AppContext) => Promise<void>): Promise<void> {
  const database = await openDatabase(databaseTarget(config));
  try {
    await migrate(database);
    const ctx: AppContext = { config, database, clock: systemClock, logger: createLogger('silent'), masterKey: resolveMasterKey(config) };
    await keyAuditTrail(ctx);
    await run(ctx);
  } finally {
    await database.close();
  }
}
