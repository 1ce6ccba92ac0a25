import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DecryptionError, deriveKey, open, repeatEvery, seal, type AppContext } from '../platform';
import { sendCreationCode } from './creation-online';
import type { AccountTables } from './tables';

/**
 * The queue between asking for a creation code and sending it (#11 finding 7, migration 0017).
 *
 * Whether a NIR is insured, has a record already, or belongs to a child decides how much work a
 * request costs (lookups, a code, a message), and an answer that waits for that work tells, by
 * its time, what the answer's words hide. So the door only queues the request, the same single
 * insert whatever the NIR, and answers; the work starts once the answer is gone, on the same
 * node, and the worker role's round takes what a stopped node left behind. A request is deleted
 * in the transaction that sends its code, so it is handled once even when two nodes try.
 */

const requestKey = (masterKey: Buffer) => deriveKey(masterKey, 'creation-code-request');
/** The worker role leaves the freshest requests to the node that took them. */
const LEFT_BEHIND_AFTER_MS = 30_000;
const ROUND_LIMIT = 50;

/** Requests being handled in this process, per service context, so that closing can wait for them. */
const underWay = new WeakMap<AppContext, Set<Promise<void>>>();

/** Queues the request and starts handling it after the caller's answer: the caller's work is the same for every NIR. */
export async function requestCreationCode(ctx: AppContext, nir: string): Promise<void> {
  const id = await queueCreationCodeRequest(ctx, nir);
  const pending = underWay.get(ctx) ?? new Set<Promise<void>>();
  underWay.set(ctx, pending);
  // setImmediate: after this request's answer is written, never before it.
  const handling: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => handleRequest(ctx, id))
    .catch((err: unknown) => ctx.logger.warn({ err }, 'creation-code request left for the worker'))
    .finally(() => pending.delete(handling));
  pending.add(handling);
}

/** The queued row alone (what a node that stops right after its answer leaves behind). */
export async function queueCreationCodeRequest(ctx: AppContext, nir: string): Promise<string> {
  const id = randomUUID();
  await ctx.database.db
    .withTables<AccountTables>()
    .insertInto('creation_code_request')
    .values({ id, nir_sealed: seal(requestKey(ctx.masterKey), nir, id), requested_at: ctx.clock.now() })
    .execute();
  return id;
}

/** Waits for the requests this process started handling (closing the server, tests). */
export async function creationCodeRequestsSettled(ctx: AppContext): Promise<void> {
  const pending = underWay.get(ctx);
  while (pending?.size) await Promise.all([...pending]);
}

/** Handles the queued requests older than `olderThanMs` (all of them with 0); returns how many were taken. */
export async function handleCreationCodeRequests(ctx: AppContext, { olderThanMs = 0, limit = ROUND_LIMIT } = {}): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - olderThanMs);
  const rows = await ctx.database.db
    .withTables<AccountTables>()
    .selectFrom('creation_code_request')
    .select('id')
    .where('requested_at', '<=', before)
    .orderBy('requested_at')
    .limit(limit)
    .execute();
  for (const row of rows) await handleRequest(ctx, row.id);
  return rows.length;
}

/** The worker role's round: the requests a node took but did not finish (it stopped, or failed). */
export function startCreationCodeRequests(ctx: AppContext, { intervalMs = 10_000 } = {}) {
  return repeatEvery(intervalMs, async (stopped) => {
    try {
      while (!stopped() && (await handleCreationCodeRequests(ctx, { olderThanMs: LEFT_BEHIND_AFTER_MS })) === ROUND_LIMIT);
    } catch (err) {
      ctx.logger.warn({ err }, 'creation-code request round failed');
    }
  });
}

async function handleRequest(ctx: AppContext, id: string): Promise<void> {
  const row = await ctx.database.db
    .withTables<AccountTables>()
    .selectFrom('creation_code_request')
    .select(['id', 'nir_sealed', 'requested_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return; // handled already, here or on another node
  const take = async (trx: Kysely<AccountTables>) => (await trx.deleteFrom('creation_code_request').where('id', '=', id).executeTakeFirst()).numDeletedRows > 0n;
  let nir: string;
  try {
    nir = open(requestKey(ctx.masterKey), row.nir_sealed, row.id).toString('utf8');
  } catch (err) {
    if (!(err instanceof DecryptionError)) throw err;
    // Sealed under another master key (or altered): it can never be handled, so it must not stay.
    ctx.logger.warn({ request: id }, 'creation-code request unreadable, dropped');
    await take(ctx.database.db.withTables<AccountTables>());
    return;
  }
  await sendCreationCode(ctx, { nir, requestedAt: row.requested_at }, take);
}
