import { systemClock } from '../../platform';
import type { Config } from '../../platform';
import { openDatabase } from '../../platform';
import { resolveMasterKey } from '../../platform';
import { migrateDatabase } from './migrations';
import { databaseTarget } from '../../platform';
import { createLogger } from '../../platform';
import { createBlobStore, S3BlobStore } from '../../documents';
import { purgeClosedRecords, type PurgeReport } from '../../lifecycle';
import { RETENTION_YEARS } from '../../lifecycle';

/**
 * `records:purge`: destroys the records closed more than ten years ago (DOMAIN.md §7), the same
 * way as a definitive deletion asked by the patient. Prints counts only, never who; running it
 * again does nothing more. Exits with 1 when a record could not be destroyed.
 */
export async function recordsPurgeCommand(config: Config, args: string[]): Promise<void> {
  if (args.length) throw new Error('records:purge takes no argument');
  const database = await openDatabase(databaseTarget(config));
  const blobs = createBlobStore(config);
  try {
    await migrateDatabase(database, resolveMasterKey(config));
    const ctx = { config, database, clock: systemClock, logger: createLogger(config.LOG_LEVEL, process.stderr), masterKey: resolveMasterKey(config) };
    const report = await purgeClosedRecords(ctx, blobs);
    console.log(formatPurgeReport(report));
    if (report.failed > 0) process.exitCode = 1;
  } finally {
    if (blobs instanceof S3BlobStore) blobs.close();
    await database.close();
  }
}

export function formatPurgeReport(report: PurgeReport): string {
  return [
    `Records closed more than ${RETENTION_YEARS} years ago: ${report.due}`,
    `  destroyed: ${report.destroyed}`,
    `  left alone (reactivated meanwhile): ${report.skipped}`,
    `  failed: ${report.failed}`,
    `  rows deleted: ${report.rows}`,
    `  document files deleted: ${report.blobs.deleted}${report.blobs.failed ? ` (${report.blobs.failed} could not be deleted; their key is destroyed)` : ''}`,
    `  patient accounts deleted: ${report.removedAccounts}`,
  ].join('\n');
}
