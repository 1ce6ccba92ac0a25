import type { Config } from '../../platform';
import { openDatabase } from '../../platform';
import { resolveMasterKey } from '../../platform';
import { migrateDatabase } from './migrations';
import { databaseTarget } from '../../platform';
import { createLogger } from '../../platform';
import { systemClock } from '../../platform';
import { listOperatorDeadLetters } from '../../notify';

/**
 * `outbox:dead`: the messages given up on after their retries, for operators:
 * bookkeeping only (channel, kind, attempts, last error), never who or what.
 */
export async function outboxDeadCommand(config: Config): Promise<void> {
  const database = await openDatabase(databaseTarget(config));
  try {
    await migrateDatabase(database, resolveMasterKey(config));
    const ctx = { config, database, clock: systemClock, logger: createLogger('silent'), masterKey: resolveMasterKey(config) };
    const dead = await listOperatorDeadLetters(ctx);
    if (dead.length === 0) {
      console.log('No dead letter: every message was delivered or is still being retried.');
      return;
    }
    console.log(`${dead.length} message(s) given up on:`);
    for (const d of dead) {
      console.log(`  ${d.createdAt.toISOString()}  ${d.id}  ${d.channel}  ${d.kind}  attempts=${d.attempts}  last error=${d.lastError ?? '-'}`);
    }
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}
