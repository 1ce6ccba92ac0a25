import type { AppContext } from './context';

/**
 * Periodic clean-up jobs of the worker role: each deletes what can no longer be used (ended
 * sessions, rate-limit counters of past windows, finished one-time codes…) and says how many
 * rows went. Deleting twice is harmless, so several worker nodes may run them at once.
 */
export interface HousekeepingJob {
  name: string;
  run(ctx: AppContext, now: Date): Promise<number>;
}

export interface Housekeeper {
  /** Runs every job once now (tests, and the first round). */
  runOnce(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export function startHousekeeping(ctx: AppContext, jobs: readonly HousekeepingJob[], { intervalMs = 15 * 60_000, start = true } = {}): Housekeeper {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const runOnce = async () => {
    const removed: Record<string, number> = {};
    for (const job of jobs) {
      try {
        removed[job.name] = await job.run(ctx, ctx.clock.now());
      } catch (err) {
        ctx.logger.warn({ err, job: job.name }, 'housekeeping job failed');
      }
    }
    const total = Object.values(removed).reduce((a, b) => a + b, 0);
    if (total > 0) ctx.logger.info({ removed }, 'housekeeping');
    return removed;
  };
  const round = async (): Promise<void> => {
    await runOnce();
    if (!stopped) {
      timer = setTimeout(() => void (running = round()), intervalMs);
      timer.unref();
    }
  };
  let running: Promise<void> = start ? round() : Promise.resolve();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
