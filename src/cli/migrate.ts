import type { Config } from '../core/config';
import { openDatabase } from '../core/db/database';
import { migrate } from '../core/db/migrate';
import { databaseTarget } from '../core/db/target';

export async function migrateCommand(config: Config): Promise<void> {
  const database = await openDatabase(databaseTarget(config));
  try {
    const applied = await migrate(database);
    console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
  } finally {
    await database.close();
  }
}
