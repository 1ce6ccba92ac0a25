import type { ChainBreak } from '../../audit';
import type { CheckpointProblemReason } from '../../audit';
import { auditTrailKeys, keyAuditTrail } from '../../audit';
import { verifyTrail, type TrailReport } from '../../audit';
import type { Config } from '../../platform';
import { createLogger, resolveMasterKey } from '../../platform';
import { openDatabase } from '../../platform';
import { databaseTarget } from '../../platform';

const USAGE =
  'Usage : npm run audit:verify -- [--record <uuid>] [--public-key <base64>]... [--json]\n' +
  '  --record      vérifie un seul dossier / verify one record only\n' +
  '  --public-key  clé publique de confiance (par défaut celle de la configuration) / trusted public key (default: from the configuration)\n' +
  '  --json        rapport en JSON / JSON report';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Options = { recordId?: string; publicKeys: Buffer[]; json: boolean };

export function parseAuditVerifyArgs(args: string[]): Options {
  const options: Options = { publicKeys: [], json: false };
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (!v) throw new Error(`${name} : valeur manquante / missing value\n${USAGE}`);
      return v;
    };
    if (name === '--json') options.json = true;
    else if (name === '--record') {
      const id = value();
      if (!UUID.test(id)) throw new Error(`--record : identifiant de dossier incorrect / not a record id: ${id}`);
      options.recordId = id.toLowerCase();
    } else if (name === '--public-key') {
      const key = Buffer.from(value(), 'base64');
      if (key.length !== 32) throw new Error('--public-key : 32 octets en base64 attendus / expected 32 bytes in base64');
      options.publicKeys.push(key);
    } else throw new Error(USAGE);
  }
  return options;
}

/** `audit:verify`: verifies the access history; exits with 1 when anything is wrong. */
export async function auditVerifyCommand(config: Config, args: string[]): Promise<void> {
  const options = parseAuditVerifyArgs(args);
  const masterKey = resolveMasterKey(config);
  const keys = auditTrailKeys(config, masterKey, options.publicKeys);
  const database = await openDatabase(databaseTarget(config));
  try {
    // A history begun before the keyed chain needs its sealed boundary (done once, at the first start).
    const report = await keyAuditTrail({ database, masterKey, logger: createLogger('silent') })
      .then(() => verifyTrail(database.db, keys, options.recordId ? { recordId: options.recordId } : {}))
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === '42P01') {
          throw new Error('Le schéma n’est pas à jour : lancez npm run migrate / the schema is not up to date: run npm run migrate');
        }
        throw error;
      });
    console.log(options.json ? JSON.stringify(report, null, 2) : formatTrailReport(report));
    if (!report.ok) process.exitCode = 1;
  } finally {
    await database.close();
  }
}

const CHAIN_BREAK: Record<ChainBreak, [string, string]> = {
  altered: ['modifié', 'altered'],
  missing: ['manquant (supprimé)', 'missing (deleted)'],
  reordered: ['déplacé (ordre changé)', 'reordered'],
  'broken-link': ['ne suit pas l’événement précédent (chaîne rompue)', 'does not follow the previous event (broken link)'],
};

const CHECKPOINT_PROBLEM: Record<CheckpointProblemReason, [string, string]> = {
  'untrusted-key': ['signé par une clé qui n’est pas de confiance', 'signed by an untrusted key'],
  'bad-signature': ['signature invalide', 'invalid signature'],
  'digest-mismatch': ['les têtes enregistrées ne correspondent plus à l’empreinte signée', 'the stored heads no longer match the signed digest'],
  'head-missing': ['un événement signé a disparu', 'a signed event is gone'],
  'head-altered': ['un événement signé a été modifié', 'a signed event was altered'],
};

/** The report for an operator, in French then English, one fact per line. */
export function formatTrailReport(report: TrailReport): string {
  const lines = [
    'Vérification de l’historique des accès / Access history verification',
    report.recordId ? `  Dossier / record: ${report.recordId}` : '  Tous les dossiers / all records',
    `  Dossiers vérifiés / records checked: ${report.records.checked} (${report.records.events} événements / events)`,
  ];
  for (const p of report.records.problems) {
    const [fr, en] = CHAIN_BREAK[p.reason];
    lines.push(`  ✗ dossier ${p.recordId}, événement n° ${p.firstBadSeq} : ${fr} / record ${p.recordId}, event ${p.firstBadSeq}: ${en}`);
  }
  if (report.records.problemsTruncated) lines.push('  … et d’autres dossiers en défaut / and more damaged records');

  const c = report.checkpoints;
  lines.push(
    c.latestId === null
      ? '  Points de contrôle signés : aucun / signed checkpoints: none'
      : `  Points de contrôle signés vérifiés / signed checkpoints checked: ${c.count}, dernier / latest n° ${c.latestId} (${c.latestAt?.toISOString()}), ${c.headsChecked} têtes comparées / heads compared`,
  );
  if (c.problem) {
    const [fr, en] = CHECKPOINT_PROBLEM[c.problem.reason];
    const where = c.problem.recordId ? ` (dossier / record ${c.problem.recordId}, événement / event ${c.problem.seq})` : '';
    lines.push(`  ✗ point de contrôle n° ${c.problem.checkpointId} : ${fr} / checkpoint ${c.problem.checkpointId}: ${en}${where}`);
  }
  lines.push(
    report.ok
      ? 'RÉSULTAT : historique intègre / RESULT: the history is intact'
      : 'RÉSULTAT : HISTORIQUE ALTÉRÉ, voir ci-dessus / RESULT: THE HISTORY WAS TAMPERED WITH, see above',
  );
  return lines.join('\n');
}
