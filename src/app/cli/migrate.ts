import type { Config } from '../../platform';
import { openDatabase } from '../../platform';
import { resolveMasterKey } from '../../platform';
import { migrateDatabase } from './migrations';
import { databaseTarget } from '../../platform';

export async function migrateCommand(config: Config): Promise<void> {
  const database = await openDatabase(databaseTarget(config));
  try {
    const applied = await migrateDatabase(database, resolveMasterKey(config));
    console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
  } finally {
    await database.close();
  }
}
