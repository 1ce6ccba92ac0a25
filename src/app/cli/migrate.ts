import type { Config } from '../../platform/config';
import { openDatabase } from '../../platform/db/database';
import { migrate } from '../../platform/db/migrate';
import { databaseTarget } from '../../platform/db/target';

export async function migrateCommand(config: Config): Promise<void> {
  const database = await openDatabase(databaseTarget(config));
  try {
    const applied = await migrate(database);
    console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
  } finally {
    await database.close();
  }
}
