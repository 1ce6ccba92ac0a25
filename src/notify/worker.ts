import { sql } from 'kysely';
import { repeatEvery, type AppContext } from '../platform';
import { openPayload, type OutboxMessage } from './outbox';
import type { OutboxTables } from './tables';
import { createTransports, type Transports } from './transports';

/**
 * Delivers the outbox. Any number of workers (one per node) may run: each
 * claims due messages in one short statement (FOR UPDATE SKIP LOCKED) that
 * marks them 'sending' with a lease, sends them with no transaction open (the
 * embedded database has a single connection), then records the outcome.
 *
 * A message is sent once. The only way to send it twice is a worker dying
 * between handing it over and recording it: its lease then runs out and
 * another worker sends it again, with the same Message-ID / Idempotency-Key /
 * file name, so the mail server, the SMS gateway or the print service can
 * drop the duplicate. A worker never starts a send it could not finish well
 * within its lease, so a slow send is not mistaken for a dead worker.
 */

export const LEASE_MS = 2 * 60_000;
export const MAX_ATTEMPTS = 8;
/** Longest single send (SMTP timeouts are set below this), and the margin kept before the lease ends. */
const SEND_TIMEOUT_MS = 30_000;
const LEASE_MARGIN_MS = 30_000;
const RETRY_DELAYS_MS = [30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000];

/** Wait before the next attempt, after `attempts` failed ones: 30 s, 2 min, 10 min, 1 h, 3 h, 6 h, 12 h. */
export function retryDelayMs(attempts: number): number {
  return RETRY_DELAYS_MS[Math.min(Math.max(attempts, 1), RETRY_DELAYS_MS.length) - 1]!;
}

export interface ClaimedMessage {
  id: string;
  channel: string;
  kind: string;
  payload: Uint8Array | null;
  /** After this claim: the fencing token that proves the message is still ours. */
  attempts: number;
  createdAt: Date;
}

const outbox = (ctx: AppContext) => ctx.database.db.withTables<OutboxTables>();

/** What is cleared once a message is done with: its payload, except where the dev outbox shows it. */
const forget = (ctx: AppContext) => (ctx.config.DEV_OUTBOX ? {} : { payload: null });

/**
 * Takes up to `limit` due messages: waiting ones whose time has come, and
 * 'sending' ones whose lease ran out (their worker died). While 'sending',
 * next_attempt_at holds the lease's end, so one index finds both.
 */
export async function claimDueMessages(ctx: AppContext, limit: number): Promise<ClaimedMessage[]> {
  const now = ctx.clock.now();
  const leaseEnd = new Date(now.getTime() + LEASE_MS);
  return ctx.database.db.transaction().execute(async (trx) => {
    const db = trx.withTables<OutboxTables>();
    await db
      .updateTable('outbox_message')
      .set({ status: 'dead', last_error: 'LeaseExpired', lease_until: null, ...forget(ctx) })
      .where('status', '=', 'sending')
      .where('next_attempt_at', '<=', now)
      .where('attempts', '>=', MAX_ATTEMPTS)
      .execute();
    const due = db
      .selectFrom('outbox_message')
      .select('id')
      .where('status', 'in', ['pending', 'sending'])
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    const rows = await db
      .updateTable('outbox_message')
      .set({ status: 'sending', attempts: sql<number>`attempts + 1`, lease_until: leaseEnd, next_attempt_at: leaseEnd })
      .where('id', 'in', due)
      .returning(['id', 'channel', 'kind', 'payload', 'attempts', 'created_at'])
      .execute();
    return rows.map(({ created_at, ...r }) => ({ ...r, createdAt: created_at }));
  });
}

export interface DeliveryReport {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  /** Handed back untouched because the lease was nearly over (a very slow round). */
  released: number;
}

export interface DeliverOptions {
  limit?: number;
  /** Sends at once; the rest wait their turn. */
  concurrency?: number;
  /** Reused across rounds by the worker loop; made (and closed) for this call otherwise. */
  transports?: Transports;
}

export async function deliverDueMessages(ctx: AppContext, options: DeliverOptions = {}): Promise<DeliveryReport> {
  const { limit = 20, concurrency = 4 } = options;
  const transports = options.transports ?? createTransports(ctx.config);
  const report: DeliveryReport = { claimed: 0, sent: 0, retried: 0, dead: 0, released: 0 };
  try {
    const claimed = await claimDueMessages(ctx, limit);
    report.claimed = claimed.length;
    const claimedAt = performance.now();
    const leaseLeft = () => LEASE_MS - (performance.now() - claimedAt);
    const queue = [...claimed];
    const lane = async () => {
      for (let m = queue.shift(); m; m = queue.shift()) {
        try {
          if (leaseLeft() < SEND_TIMEOUT_MS + LEASE_MARGIN_MS) {
            await release(ctx, m);
            report.released += 1;
          } else {
            report[await deliverOne(ctx, transports, m)] += 1;
          }
        } catch (err) {
          // The outcome could not be recorded (database unreachable): the lease runs out and it is tried again.
          ctx.logger.warn({ err, outboxId: m.id }, 'outbox message outcome not recorded');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, lane));
  } finally {
    if (!options.transports) await transports.close();
  }
  return report;
}

async function deliverOne(ctx: AppContext, transports: Transports, m: ClaimedMessage): Promise<'sent' | 'retried' | 'dead'> {
  let message: OutboxMessage;
  try {
    if (!m.payload) throw new Error('payload cleared');
    message = openPayload(ctx.masterKey, m.id, m.payload);
  } catch (err) {
    // Unreadable (cleared, or sealed under another master key): no retry can help.
    return recordFailure(ctx, m, err, true);
  }
  try {
    await transports.deliver({ id: m.id, createdAt: m.createdAt, message }, AbortSignal.timeout(SEND_TIMEOUT_MS));
  } catch (err) {
    return recordFailure(ctx, m, err, (err as { permanent?: unknown }).permanent === true);
  }
  await outbox(ctx)
    .updateTable('outbox_message')
    .set({ status: 'sent', sent_at: ctx.clock.now(), lease_until: null, last_error: null, ...forget(ctx) })
    .where('id', '=', m.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', m.attempts)
    .execute();
  return 'sent';
}

async function recordFailure(ctx: AppContext, m: ClaimedMessage, err: unknown, permanent: boolean): Promise<'retried' | 'dead'> {
  const dead = permanent || m.attempts >= MAX_ATTEMPTS;
  const lastError = errorLabel(err);
  const next = new Date(ctx.clock.now().getTime() + retryDelayMs(m.attempts));
  await outbox(ctx)
    .updateTable('outbox_message')
    .set(
      dead
        ? { status: 'dead', lease_until: null, last_error: lastError, ...forget(ctx) }
        : { status: 'pending', lease_until: null, last_error: lastError, next_attempt_at: next },
    )
    .where('id', '=', m.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', m.attempts)
    .execute();
  const facts = { err, outboxId: m.id, channel: m.channel, kind: m.kind, attempts: m.attempts, lastError };
  if (dead) ctx.logger.error(facts, 'message abandoned: it will not be sent');
  else ctx.logger.warn(facts, 'message not delivered, will retry');
  return dead ? 'dead' : 'retried';
}

/** Gives a claimed message back as if it had not been taken. */
async function release(ctx: AppContext, m: ClaimedMessage): Promise<void> {
  await outbox(ctx)
    .updateTable('outbox_message')
    .set({ status: 'pending', attempts: m.attempts - 1, lease_until: null, next_attempt_at: ctx.clock.now() })
    .where('id', '=', m.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', m.attempts)
    .execute();
}

/** The kind of failure and its code (an SMTP reply code, a socket error), never its message. */
export function errorLabel(err: unknown): string {
  if (!(err instanceof Error)) return 'Unknown';
  const { code, responseCode } = err as { code?: unknown; responseCode?: unknown };
  const parts = [err.name, typeof code === 'string' ? code : undefined, typeof responseCode === 'number' ? String(responseCode) : undefined];
  return parts
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/[^\w.-]/g, '').slice(0, 40))
    .join(':');
}

export interface OutboxWorker {
  stop(): Promise<void>;
}

/**
 * Delivers due messages every `intervalMs`, straight away again while rounds
 * come back full. Never throws: a failing round is logged and the next one
 * tries again.
 */
export function startOutboxWorker(ctx: AppContext, { intervalMs = 2_000, limit = 20 } = {}): OutboxWorker {
  const transports = createTransports(ctx.config);
  const repeating = repeatEvery(intervalMs, async (stopped) => {
    try {
      while (!stopped() && (await deliverDueMessages(ctx, { limit, transports })).claimed === limit);
    } catch (err) {
      ctx.logger.warn({ err }, 'outbox delivery round failed');
    }
  });
  return {
    async stop() {
      await repeating.stop();
      await transports.close();
    },
  };
}
