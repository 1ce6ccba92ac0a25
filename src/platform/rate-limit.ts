/**
 * Rate limiting with counters in PostgreSQL, so that every app node counts
 * the same tries: fixed windows, one atomic upsert per hit. Keys are stored as
 * HMAC-SHA-256 under a key derived from the master key, never in clear (they are
 * addresses and identifiers): whoever reads the table cannot test a guess.
 *
 * Kept rather than @fastify/rate-limit (removed: it was never imported), which counts in each
 * process's memory or in Redis: the service has no Redis, its nodes share only the database, and
 * its keys (per address, per identifier, per account) are sealed as above, never kept in clear.
 */
import { createHmac } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

type AnyKysely = Kysely<any>;
import { deriveKey } from './crypto/keys';

export type RateLimitTables = {
  rate_limit_counter: {
    key: string;
    window_start: Date;
    hits: number;
  };
};

export interface RateLimitRule {
  /** What is limited, e.g. `login:ip:203.0.113.7` or `login:id:hup7510`. */
  key: string;
  /** Hits allowed per window; the next one is refused. */
  limit: number;
  windowSeconds: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** 0 when allowed; otherwise the seconds until the window ends. */
  retryAfterSeconds: number;
  hits: number;
}

const counters = (db: AnyKysely) => db as Kysely<RateLimitTables>;

/** No window may be longer: older counters are purged. */
export const MAX_WINDOW_SECONDS = 24 * 3600;

/** The secret the keys are MAC'ed with, from the master key. */
export const rateLimitSecret = (masterKey: Buffer): Buffer => deriveKey(masterKey, 'rate-limit-keys');

/** Counts one hit for the rule's key and says whether it is within the limit. */
export async function hitRateLimit(db: AnyKysely, rule: RateLimitRule, now: Date, secret: Buffer): Promise<RateLimitResult> {
  if (!(rule.windowSeconds > 0 && rule.windowSeconds <= MAX_WINDOW_SECONDS)) {
    throw new RangeError(`windowSeconds must be between 1 and ${MAX_WINDOW_SECONDS}`);
  }
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const row = await counters(db)
    .insertInto('rate_limit_counter')
    .values({ key: digest(secret, rule.key), window_start: windowStart, hits: 1 })
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql<number>`rate_limit_counter.hits + 1` }))
    .returning('hits')
    .executeTakeFirstOrThrow();
  const allowed = row.hits <= rule.limit;
  const retryAfterSeconds = allowed ? 0 : Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000);
  return { allowed, retryAfterSeconds, hits: row.hits };
}

/** Deletes the counters of windows that have ended; returns how many. */
export async function purgeOldCounters(db: AnyKysely, now: Date): Promise<number> {
  const before = new Date(now.getTime() - MAX_WINDOW_SECONDS * 1000);
  const result = await counters(db)
    .deleteFrom('rate_limit_counter')
    .where('window_start', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

function digest(secret: Buffer, key: string): string {
  return createHmac('sha256', secret).update(key).digest('hex');
}

export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Trop de tentatives. Réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''}.`;
}
