import { purgeFinishedChallenges } from '../../accounts';
import { purgeStaleFailures } from '../../accounts';
import { purgeOldCounters } from '../../platform';
import { purgeEndedSessions } from '../../accounts';
import type { HousekeepingJob } from '../../platform';

/** What the worker role cleans up every quarter of an hour (src/platform/periodic.ts). */
export const HOUSEKEEPING_JOBS: readonly HousekeepingJob[] = [
  { name: 'ended sessions', run: (ctx, now) => purgeEndedSessions(ctx.database.db, now) },
  { name: 'rate-limit counters', run: (ctx, now) => purgeOldCounters(ctx.database.db, now) },
  { name: 'expired one-time codes', run: (ctx, now) => purgeFinishedChallenges(ctx, now) },
  { name: 'stale password failures', run: (ctx, now) => purgeStaleFailures(ctx, now) },
];
