import { purgeFinishedChallenges } from '../accounts/challenges';
import { purgeStaleFailures } from '../accounts/password-gate';
import { purgeOldCounters } from '../auth/rate-limit';
import { purgeEndedSessions } from '../auth/sessions';
import type { HousekeepingJob } from '../core/housekeeping';

/** What the worker role cleans up every quarter of an hour (src/core/housekeeping.ts). */
export const HOUSEKEEPING_JOBS: readonly HousekeepingJob[] = [
  { name: 'ended sessions', run: (ctx, now) => purgeEndedSessions(ctx.database.db, now) },
  { name: 'rate-limit counters', run: (ctx, now) => purgeOldCounters(ctx.database.db, now) },
  { name: 'expired one-time codes', run: (ctx, now) => purgeFinishedChallenges(ctx, now) },
  { name: 'stale password failures', run: (ctx, now) => purgeStaleFailures(ctx, now) },
];
