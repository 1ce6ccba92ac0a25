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

/** A job that runs again and again until stopped. */
export interface Periodic {
  /** Stops the repetition and waits for the round under way, if any. */
  stop(): Promise<void>;
}

/**
 * Runs `round` now (unless `start` is false), then again `intervalMs` after each round ends:
 * never two rounds at once, and the timer never keeps the process alive. A round catches and
 * logs its own errors (only it knows what a failure means); `stopped()` lets a long round end early.
 * The worker role's three loops (outbox, checkpoints, housekeeping) share it.
 */
export function repeatEvery(intervalMs: number, round: (stopped: () => boolean) => Promise<void>, { start = true } = {}): Periodic {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const isStopped = () => stopped;
  const next = async (): Promise<void> => {
    await round(isStopped);
    if (!stopped) {
      timer = setTimeout(() => void (running = next()), intervalMs);
      timer.unref();
    }
  };
  let running: Promise<void> = start ? next() : Promise.resolve();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export function startHousekeeping(ctx: AppContext, jobs: readonly HousekeepingJob[], { intervalMs = 15 * 60_000, start = true } = {}): Housekeeper {
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
  const repeating = repeatEvery(intervalMs, async () => void (await runOnce()), { start });
  return { runOnce, stop: () => repeating.stop() };
}
