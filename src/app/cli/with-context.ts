import type { AppContext, Config } from '../../platform';
import { createLogger, databaseTarget, openDatabase, resolveMasterKey, systemClock } from '../../platform';
import { keyAuditTrail } from '../../audit';
import { migrateDatabase } from './migrations';

/** An operator's command: the database migrated, a silent logger, the real clock; closed after. */
export async function withContext(config: Config, run: (ctx: AppContext) => Promise<void>): Promise<void> {
  const database = await openDatabase(databaseTarget(config));
  try {
    const masterKey = resolveMasterKey(config);
    await migrateDatabase(database, masterKey);
    const ctx: AppContext = { config, database, clock: systemClock, logger: createLogger('silent'), masterKey };
    await keyAuditTrail(ctx);
    await run(ctx);
  } finally {
    await database.close();
  }
}
