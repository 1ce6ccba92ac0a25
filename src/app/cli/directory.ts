import { existsSync } from 'node:fs';
import type { Config } from '../../platform';
import { openDatabase } from '../../platform';
import { resolveMasterKey } from '../../platform';
import { migrateDatabase } from './migrations';
import { databaseTarget } from '../../platform';
import { loadDirectoryFile, type DirectoryKind } from '../../directory';

const KINDS: Record<string, DirectoryKind> = { insured: 'insured', professionals: 'professionals' };
const USAGE = 'Usage : npm run directory:load -- <insured|professionals> <fichier.csv> [--test]';
const ERRORS_SHOWN = 50;

/** `directory:load insured file.csv`: loads a directory, reports progress and every bad line. */
export async function loadDirectoryCommand(config: Config, args: string[]): Promise<void> {
  const [kindArg, path] = args.filter((a) => !a.startsWith('--'));
  const kind = kindArg ? KINDS[kindArg] : undefined;
  if (!kind || !path) throw new Error(USAGE);
  if (!existsSync(path)) throw new Error(`Fichier introuvable : ${path}`);

  const database = await openDatabase(databaseTarget(config));
  try {
    const masterKey = resolveMasterKey(config);
    await migrateDatabase(database, masterKey);
    const started = Date.now();
    const report = await loadDirectoryFile({ database, masterKey }, kind, path, {
      test: args.includes('--test'),
      onProgress: (p) => process.stderr.write(`\r${p.read} lignes lues, ${p.loaded} chargées, ${p.rejected} refusées`),
    });
    process.stderr.write('\n');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`Terminé en ${seconds} s : ${report.read} lignes lues, ${report.loaded} chargées, ${report.rejected} refusées.`);
    for (const e of report.errors.slice(0, ERRORS_SHOWN)) console.log(`  ligne ${e.line} : ${e.message}`);
    if (report.rejected > ERRORS_SHOWN) console.log(`  … et ${report.rejected - ERRORS_SHOWN} autres lignes refusées.`);
    if (report.rejected > 0) process.exitCode = 1;
  } finally {
    await database.close();
  }
}
