import type { Database, DataSteps } from '../../platform';
import { migrate, readMigrations } from '../../platform';
import { sealExistingAccounts } from '../../accounts';
import { sealExistingDirectory } from '../../directory';
import { sealExistingAuthorNames } from '../../documents';

/**
 * The TypeScript steps that migrations name (`-- data-step: …`), bound to the master key: what
 * SQL cannot compute (seals, blind indexes) for the rows written before. Every command that
 * migrates goes through here, so a migration never runs without its step.
 */
export function dataSteps(masterKey: Buffer): DataSteps {
  return {
    'seal-identity': async (session) => {
      await sealExistingAccounts(session, masterKey);
      await sealExistingDirectory(session, masterKey);
      await sealExistingAuthorNames(session, masterKey);
    },
  };
}

/** Applies the pending migrations with their data steps; returns the versions applied. */
export function migrateDatabase(database: Database, masterKey: Buffer): Promise<number[]> {
  return migrate(database, readMigrations(), dataSteps(masterKey));
}
