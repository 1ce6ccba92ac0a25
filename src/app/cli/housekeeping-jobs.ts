import { purgeFinishedChallenges } from '../../accounts/challenges';
import { purgeStaleFailures } from '../../accounts/password-gate';
import { purgeOldCounters } from '../../platform/rate-limit';
import { purgeEndedSessions } from '../../accounts/sessions';
import type { HousekeepingJob } from '../../platform/periodic';

/** What the worker role cleans up every quarter of an hour (src/platform/periodic.ts). */
export const HOUSEKEEPING_JOBS: readonly HousekeepingJob[] = [
  { name: 'ended sessions', run: (ctx, now) => purgeEndedSessions(ctx.database.db, now) },
  { name: 'rate-limit counters', run: (ctx, now) => purgeOldCounters(ctx.database.db, now) },
  { name: 'expired one-time codes', run: (ctx, now) => purgeFinishedChallenges(ctx, now) },
  { name: 'stale password failures', run: (ctx, now) => purgeStaleFailures(ctx, now) },
];
