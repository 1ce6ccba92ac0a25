import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import {
  checkOneTimeCode,
  generateOneTimeCode,
  hashOneTimeCode,
  matchesOneTimeCode,
  oneTimeCodeKey,
  type OneTimeCodeOutcome,
} from './one-time-code';
import type { AppContext } from '../platform';
import { AppError, invalidField } from '../platform';
import { enqueueMessage, type OutboxMessage } from '../notify';
import { accountsDb } from './store';
import { openChallengeValue, sealChallengeValue } from './identity';
import {
  addMinutes,
  maskDestination,
  ONE_TIME_CODE_MAX_ATTEMPTS,
  ONE_TIME_CODE_MAX_RESENDS,
  ONE_TIME_CODE_MINUTES,
} from './rules';
import type { AccountTables, ChallengePurpose } from './tables';

/**
 * A challenge is a one-time code sent to the person (login, password reset,
 * change of mobile or email; an insurance agent's sign-in): 8 digits, 10 minutes,
 * 5 tries for the challenge whatever the codes resent, stored as a MAC.
 */

export interface ChallengeTarget {
  channel: 'sms' | 'email';
  /** The mobile or email the code goes to. */
  value: string;
}

export interface IssuedChallenge {
  challengeId: string;
  channel: 'sms' | 'email';
  destination: string;
}

const MESSAGE_KIND: Record<Exclude<ChallengePurpose, 'agent-login'>, 'login-code' | 'password-reset-code' | 'contact-change-code'> = {
  login: 'login-code',
  'password-reset': 'password-reset-code',
  'contact-change': 'contact-change-code',
};

function codeMessage(purpose: ChallengePurpose, target: ChallengeTarget, code: string): OutboxMessage {
  if (purpose === 'agent-login') {
    // Agents get their codes at their work address, never on a personal phone.
    if (target.channel !== 'email') throw new Error('an agent sign-in code goes by email');
    return { kind: 'desk-login-code', to: { email: target.value }, data: { code, validMinutes: ONE_TIME_CODE_MINUTES } };
  }
  const to = target.channel === 'sms' ? { mobile: target.value } : { email: target.value };
  return { kind: MESSAGE_KIND[purpose], to, data: { code, validMinutes: ONE_TIME_CODE_MINUTES } };
}

export async function issueChallenge(
  ctx: AppContext,
  trx: Kysely<AccountTables>,
  purpose: ChallengePurpose,
  loginId: string,
  target: ChallengeTarget,
  newValue: string | null = null,
): Promise<IssuedChallenge> {
  const now = ctx.clock.now();
  const id = randomUUID();
  const code = generateOneTimeCode();
  await trx
    .insertInto('auth_challenge')
    .values({
      id,
      purpose,
      login_id: loginId,
      code_mac: hashOneTimeCode(oneTimeCodeKey(ctx.masterKey), id, code),
      channel: target.channel,
      new_value_sealed: newValue === null ? null : sealChallengeValue(ctx.masterKey, id, newValue),
      created_at: now,
      expires_at: addMinutes(now, ONE_TIME_CODE_MINUTES),
    })
    .execute();
  await enqueueMessage(trx, ctx.masterKey, codeMessage(purpose, target, code), now);
  return { challengeId: id, channel: target.channel, destination: maskDestination(target.channel, target.value) };
}

const UNKNOWN_CHALLENGE = 'Ce code n’est pas le bon, ou la demande a expiré. Recommencez depuis le début.';

type ChallengeRow = Selectable<AccountTables['auth_challenge']>;

/**
 * The challenge, its row locked until the transaction ends: parallel requests on one
 * challenge are judged one after the other, each on the tries and resends the previous
 * ones left, never on a copy read before them.
 */
function lockChallenge(trx: Kysely<AccountTables>, purpose: ChallengePurpose, challengeId: string): Promise<ChallengeRow | undefined> {
  return trx.selectFrom('auth_challenge').selectAll().where('id', '=', challengeId).where('purpose', '=', purpose).forUpdate().executeTakeFirst();
}

/**
 * Checks a typed code. On success the challenge is consumed (once: a parallel
 * request cannot use it again) and returned; otherwise a field error on `code`.
 */
export async function verifyChallenge(ctx: AppContext, purpose: ChallengePurpose, challengeId: string, typed: string) {
  const now = ctx.clock.now();
  // Judged and recorded in one transaction, and the refusal thrown after it: a wrong try must be kept.
  const judged = await accountsDb(ctx).transaction().execute(async (trx) => {
    const challenge = await lockChallenge(trx, purpose, challengeId);
    if (!challenge) return null;
    const matches = matchesOneTimeCode(oneTimeCodeKey(ctx.masterKey), challengeId, typed, challenge.code_mac);
    const check = checkOneTimeCode(
      { expiresAt: challenge.expires_at, attempts: challenge.attempts, consumedAt: challenge.consumed_at, maxAttempts: ONE_TIME_CODE_MAX_ATTEMPTS },
      now,
      matches,
    );
    await recordOutcome(trx, challengeId, check.outcome, now);
    return { challenge, check };
  });
  if (!judged) throw invalidField('code', UNKNOWN_CHALLENGE);
  if (judged.check.outcome !== 'ok') throw invalidField('code', judged.check.message);
  return { ...judged.challenge, new_value: newValueOf(ctx, judged.challenge) };
}

/** The new contact value a challenge confirms, opened (sealed in the table, migration 0019). */
function newValueOf(ctx: AppContext, challenge: ChallengeRow): string | null {
  return challenge.new_value_sealed ? openChallengeValue(ctx.masterKey, challenge.id, challenge.new_value_sealed) : null;
}

/** What a judged code leaves on the challenge: one try fewer, or the challenge spent. */
async function recordOutcome(trx: Kysely<AccountTables>, challengeId: string, outcome: OneTimeCodeOutcome, now: Date): Promise<void> {
  const update = trx.updateTable('auth_challenge').where('id', '=', challengeId);
  if (outcome === 'wrong') await update.set((eb) => ({ attempts: eb('attempts', '+', 1) })).execute();
  if (outcome === 'ok') await update.set({ consumed_at: now }).execute();
}

/** Why a challenge cannot have a new code, or null when it can. */
function resendRefusal(challenge: ChallengeRow | undefined): AppError | null {
  if (!challenge || challenge.consumed_at) return new AppError(400, 'invalid-request', 'Demande incorrecte', UNKNOWN_CHALLENGE);
  if (challenge.resends >= ONE_TIME_CODE_MAX_RESENDS) {
    return new AppError(429, 'too-many-requests', 'Trop de demandes', 'Vous avez demandé trop de codes. Recommencez depuis le début.');
  }
  // The tries belong to the challenge, not to one code: a new code must not give them back.
  if (challenge.attempts >= ONE_TIME_CODE_MAX_ATTEMPTS) {
    return new AppError(429, 'too-many-requests', 'Trop d’essais', 'Trop d’essais avec ce code. Recommencez depuis le début.');
  }
  return null;
}

/** A new code for the same challenge (lost SMS): a fresh code and time, the tries left unchanged, a few times at most. */
export async function resendChallenge(
  ctx: AppContext,
  purpose: ChallengePurpose,
  challengeId: string,
  target: (loginId: string, newValue: string | null) => Promise<ChallengeTarget | null>,
): Promise<IssuedChallenge> {
  const db = accountsDb(ctx);
  const now = ctx.clock.now();
  // Read before the transaction: the embedded database has one connection, held by a transaction.
  const pending = await db.selectFrom('auth_challenge').selectAll().where('id', '=', challengeId).where('purpose', '=', purpose).executeTakeFirst();
  const early = resendRefusal(pending);
  if (early) throw early;
  const destination = await target(pending!.login_id, newValueOf(ctx, pending!));
  if (!destination) throw new AppError(400, 'invalid-request', 'Demande incorrecte', UNKNOWN_CHALLENGE);
  const code = generateOneTimeCode();
  await db.transaction().execute(async (trx) => {
    // The early refusal read a copy; the one that counts is taken on the locked row.
    const refused = resendRefusal(await lockChallenge(trx, purpose, challengeId));
    if (refused) throw refused;
    await trx
      .updateTable('auth_challenge')
      .set((eb) => ({
        code_mac: hashOneTimeCode(oneTimeCodeKey(ctx.masterKey), challengeId, code),
        resends: eb('resends', '+', 1),
        expires_at: addMinutes(now, ONE_TIME_CODE_MINUTES),
      }))
      .where('id', '=', challengeId)
      .execute();
    await enqueueMessage(trx, ctx.masterKey, codeMessage(purpose, destination, code), now);
  });
  return { challengeId, channel: destination.channel, destination: maskDestination(destination.channel, destination.value) };
}

/** Deletes the challenges expired for a day (long past any resend); returns how many. */
export async function purgeFinishedChallenges(ctx: Pick<AppContext, 'database'>, now: Date): Promise<number> {
  const result = await accountsDb(ctx)
    .deleteFrom('auth_challenge')
    .where('expires_at', '<', addMinutes(now, -24 * 60))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
