import type { Config } from '../../platform';
import { openDatabase } from '../../platform';
import { migrate } from '../../platform';
import { databaseTarget } from '../../platform';

export async function migrateCommand(config: Config): Promise<void> {
  const database = await openDatabase(databaseTarget(config));
  try {
    const applied = await migrate(database);
    console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
  } finally {
    await database.close();
  }
}
