import { createHash } from 'node:crypto';
import { createSession } from '../auth/sessions';
import { verifyAgainstDummy, verifyPassword } from '../auth/password-hash';
import type { AppContext } from '../core/context';
import { AppError } from '../core/errors';
import { issueChallenge, resendChallenge, verifyChallenge, type IssuedChallenge } from './challenges';
import { accountsDb, codeDestination, findAccount, recordsOfAccount } from './store';
import { lockMinutes } from './rules';
import { traceAccountEvent } from './trace';

/**
 * Patient login (DOMAIN.md §3): identifier and password, then an 8-digit code
 * by SMS or email, at every login. An unknown identifier goes through the same
 * steps (a password check against a dummy hash, the same failure count and
 * lock), so the answers tell nothing about which identifiers exist.
 */

const WRONG_CREDENTIALS = 'Identifiant ou mot de passe incorrect.';

const identifierHash = (loginId: string) => createHash('sha256').update(loginId.trim().toLowerCase()).digest();

function lockedError(until: Date): AppError {
  const time = until.toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }).replace(':', ' h ');
  return new AppError(
    423,
    'account-locked',
    'Compte bloqué',
    `Après plusieurs erreurs de mot de passe, votre compte est bloqué jusqu’à ${time}. Vous pouvez aussi choisir « Mot de passe oublié ».`,
  );
}

export async function startLogin(ctx: AppContext, loginId: string, password: string): Promise<IssuedChallenge> {
  const db = accountsDb(ctx);
  const now = ctx.clock.now();
  const key = identifierHash(loginId);
  const failure = await db.selectFrom('login_failure').selectAll().where('identifier_hash', '=', key).executeTakeFirst();
  const account = await findAccount(db, loginId.trim().toLowerCase());
  const passwordOk = account ? await verifyPassword(account.password_hash, password) : await verifyAgainstDummy(password);

  if (failure?.locked_until && failure.locked_until > now) throw lockedError(failure.locked_until);
  if (!account || !passwordOk) {
    const failures = (failure?.failures ?? 0) + 1;
    const minutes = lockMinutes(failures);
    const lockedUntil = minutes ? new Date(now.getTime() + minutes * 60_000) : null;
    await db
      .insertInto('login_failure')
      .values({ identifier_hash: key, failures, locked_until: lockedUntil, updated_at: now })
      .onConflict((oc) => oc.column('identifier_hash').doUpdateSet({ failures, locked_until: lockedUntil, updated_at: now }))
      .execute();
    if (account) await traceAccountEvent(ctx, account.login_id, 'login-failed', false, lockedUntil ? 'account-locked' : 'wrong-password');
    if (lockedUntil) throw lockedError(lockedUntil);
    throw new AppError(401, 'wrong-credentials', 'Connexion impossible', WRONG_CREDENTIALS);
  }

  if (failure) await db.deleteFrom('login_failure').where('identifier_hash', '=', key).execute();
  return db.transaction().execute((trx) => issueChallenge(ctx, trx, 'login', account.login_id, codeDestination(account)));
}

export interface CompletedLogin {
  token: string;
  loginId: string;
  firstLoginRequired: boolean;
}

export async function completeLogin(ctx: AppContext, challengeId: string, code: string): Promise<CompletedLogin> {
  const challenge = await verifyChallenge(ctx, 'login', challengeId, code);
  const db = accountsDb(ctx);
  const account = await findAccount(db, challenge.login_id);
  if (!account) throw new AppError(401, 'wrong-credentials', 'Connexion impossible', WRONG_CREDENTIALS);
  const own = (await recordsOfAccount(db, account.login_id)).find((r) => r.role === 'holder');
  const { token } = await createSession(
    ctx.database.db,
    { accountId: account.login_id, actorKind: 'patient', data: { currentRecordId: own?.recordId ?? null } },
    ctx.clock.now(),
  );
  await traceAccountEvent(ctx, account.login_id, 'login', true, 'titulaire');
  return { token, loginId: account.login_id, firstLoginRequired: account.first_login_step !== null };
}

export function resendLoginCode(ctx: AppContext, challengeId: string): Promise<IssuedChallenge> {
  return resendChallenge(ctx, 'login', challengeId, async (loginId) => {
    const account = await findAccount(accountsDb(ctx), loginId);
    return account ? codeDestination(account) : null;
  });
}
