import { purgeFinishedChallenges } from '../../accounts';
import { purgeStaleFailures } from '../../accounts';
import { purgeOldCounters } from '../../platform';
import { purgeEndedSessions } from '../../accounts';
import { sweepOrphanBlobs, type BlobStore } from '../../documents';
import type { HousekeepingJob } from '../../platform';

/** What the worker role cleans up every quarter of an hour in the database (src/platform/periodic.ts). */
export const HOUSEKEEPING_JOBS: readonly HousekeepingJob[] = [
  { name: 'ended sessions', run: (ctx, now) => purgeEndedSessions(ctx.database.db, now) },
  { name: 'rate-limit counters', run: (ctx, now) => purgeOldCounters(ctx.database.db, now) },
  { name: 'expired one-time codes', run: (ctx, now) => purgeFinishedChallenges(ctx, now) },
  { name: 'stale password failures', run: (ctx, now) => purgeStaleFailures(ctx, now) },
];

/** The worker's jobs with those that also need the blob store: blobs left by deposits cut short by a crash. */
export function housekeepingJobs(blobs: BlobStore): readonly HousekeepingJob[] {
  return [...HOUSEKEEPING_JOBS, { name: 'orphan blobs', run: (ctx, now) => sweepOrphanBlobs(ctx, blobs, now) }];
}
