import type { Config } from '../../platform';
import { openDatabase } from '../../platform';
import { migrateDatabase } from './migrations';
import { databaseTarget } from '../../platform';
import { createLogger, resolveMasterKey } from '../../platform';
import { keyAuditTrail } from '../../audit';

export async function migrateCommand(config: Config): Promise<void> {
  const database = await openDatabase(databaseTarget(config));
  try {
    const masterKey = resolveMasterKey(config);
    const applied = await migrateDatabase(database, masterKey);
    // Histories begun before the keyed chain get their boundary sealed (audit/legacy.ts).
    await keyAuditTrail({ database, masterKey, logger: createLogger(config.LOG_LEVEL) });
    console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
  } finally {
    await database.close();
  }
}
