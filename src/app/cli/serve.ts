import { systemClock } from '../../platform';
import type { Config } from '../../platform';
import type { AppContext } from '../../platform';
import { resolveMasterKey } from '../../platform';
import { openDatabase } from '../../platform';
import { migrateDatabase } from './migrations';
import { databaseTarget } from '../../platform';
import { createLogger } from '../../platform';
import { keyAuditTrail, startCheckpointPublisher } from '../../audit';
import { seedDemoData } from '../demo/seed';
import { createBlobStore } from '../../documents';
import { buildServer } from '../../api/server';
import { startOutboxWorker } from '../../notify';
import { startCreationCodeRequests } from '../../accounts';
import { startHousekeeping } from '../../platform';
import { housekeepingJobs } from './housekeeping-jobs';

type Role = 'all' | 'web' | 'worker';

function roleOf(args: string[]): Role {
  const given = args.find((a) => a.startsWith('--role'))?.split('=')[1] ?? (args.includes('--role') ? args[args.indexOf('--role') + 1] : 'all');
  if (given === 'all' || given === 'web' || given === 'worker') return given;
  throw new Error(`--role must be all, web or worker (got "${given}")`);
}

/**
 * Starts the service: schema up to date, demo data if asked, then HTTP and/or
 * the background workers. `--role web` and `--role worker` split them over
 * several processes; the default runs both in one.
 */
export async function serveCommand(config: Config, args: string[]): Promise<void> {
  const role = roleOf(args);
  const started = Date.now();
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(databaseTarget(config));
  const masterKey = resolveMasterKey(config);
  await migrateDatabase(database, masterKey);
  const ctx: AppContext = { config, database, clock: systemClock, logger, masterKey };
  // Before anything is traced: the boundaries of histories begun before the keyed chain.
  await keyAuditTrail(ctx);
  const blobs = createBlobStore(config);
  if (config.DEMO_DATA) {
    const seeded = await seedDemoData(ctx, blobs);
    if (seeded.accounts) logger.info(seeded, 'demo data loaded');
  }
  const worker = role === 'web' ? null : startOutboxWorker(ctx);
  // Signed checkpoints of every record's history head, every AUDIT_CHECKPOINT_MINUTES; one node at
  // a time publishes. The period bounds what someone holding the service's keys could rewrite
  // unnoticed (README, "The access history").
  const checkpoints = role === 'web' ? null : startCheckpointPublisher(ctx);
  const housekeeping = role === 'web' ? null : startHousekeeping(ctx, housekeepingJobs(blobs));
  // Creation-code requests a web node took but did not finish (it stopped first).
  const codeRequests = role === 'web' ? null : startCreationCodeRequests(ctx);
  const app = role === 'worker' ? null : await buildServer(ctx, { blobs });
  if (app) {
    await app.listen({ port: config.PORT, host: config.HOST });
    logger.info({ database: database.kind, ms: Date.now() - started }, `OpenDMP is ready on ${config.PUBLIC_URL}`);
  } else {
    logger.info({ database: database.kind }, 'OpenDMP worker started');
  }

  const stop = async (signal: string) => {
    logger.info({ signal }, 'stopping');
    await app?.close();
    await worker?.stop();
    await checkpoints?.stop();
    await housekeeping?.stop();
    await codeRequests?.stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
