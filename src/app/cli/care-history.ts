import { existsSync } from 'node:fs';
import { systemClock } from '../../platform';
import type { Config } from '../../platform';
import { openDatabase } from '../../platform';
import { resolveMasterKey } from '../../platform';
import { migrateDatabase } from './migrations';
import { databaseTarget } from '../../platform';
import { createLogger } from '../../platform';
import { importCareHistoryFile } from '../../care-history';
import { createBlobStore } from '../../documents';

const USAGE = 'Usage : npm run care-history:import -- <fichier.csv>';
const ERRORS_SHOWN = 50;

/**
 * `care-history:import file.csv`: the Assurance Maladie's feed of reimbursements, applied to
 * the records that exist, with progress and every refused line. With the embedded database,
 * stop the service first (one process at a time opens its folder).
 */
export async function importCareHistoryCommand(config: Config, args: string[]): Promise<void> {
  const [path] = args.filter((a) => !a.startsWith('--'));
  if (!path) throw new Error(USAGE);
  if (!existsSync(path)) throw new Error(`Fichier introuvable : ${path}`);
  const database = await openDatabase(databaseTarget(config));
  try {
    await migrateDatabase(database, resolveMasterKey(config));
    const ctx = { config, database, clock: systemClock, logger: createLogger('silent'), masterKey: resolveMasterKey(config) };
    const started = Date.now();
    const report = await importCareHistoryFile(ctx, createBlobStore(config), path, {
      onProgress: (p) => process.stderr.write(`\r${p.read} lignes lues, ${p.refusedLines} refusées, ${p.persons} personnes`),
    });
    process.stderr.write('\n');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const o = report.outcomes;
    console.log(`Terminé en ${seconds} s : ${report.read} lignes lues, ${report.refusedLines} refusées, ${report.persons} personnes.`);
    console.log(`  DMP complétés : ${o.created + o.updated} (${o.created} premiers historiques, ${o.updated} mis à jour), inchangés : ${o.unchanged}, sans DMP : ${o['no-record']}, refusés (DMP fermé) : ${o.refused}.`);
    for (const e of report.errors.slice(0, ERRORS_SHOWN)) console.log(`  ligne ${e.line} : ${e.message}`);
    if (report.refusedLines > ERRORS_SHOWN) console.log(`  … et ${report.refusedLines - ERRORS_SHOWN} autres lignes refusées.`);
    if (report.refusedLines > 0) process.exitCode = 1;
  } finally {
    await database.close();
  }
}
