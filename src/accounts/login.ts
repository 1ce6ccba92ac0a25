import { createSession } from '../auth/sessions';
import type { AppContext } from '../core/context';
import { AppError } from '../core/errors';
import { issueChallenge, resendChallenge, verifyChallenge, type IssuedChallenge } from './challenges';
import { accountsDb, codeDestination, findAccount, recordsOfAccount } from './store';
import { passThePasswordGate, WRONG_CREDENTIALS } from './password-gate';
import { traceAccountEvent } from './trace';

/**
 * Patient login (DOMAIN.md §3): identifier and password, then an 8-digit code
 * by SMS or email, at every login. An unknown identifier goes through the same
 * steps (a password check against a dummy hash, the same failure count and
 * lock), so the answers tell nothing about which identifiers exist.
 */

export async function startLogin(ctx: AppContext, loginId: string, password: string): Promise<IssuedChallenge> {
  const db = accountsDb(ctx);
  const identifier = loginId.trim().toLowerCase();
  const account = await findAccount(db, identifier);
  await passThePasswordGate(ctx, {
    identifier,
    storedHash: account?.password_hash ?? null,
    password,
    canReset: true,
    onFailure: (lockedUntil) =>
      traceAccountEvent(ctx, account!.login_id, 'login-failed', false, lockedUntil ? 'account-locked' : 'wrong-password'),
  });
  return db.transaction().execute((trx) => issueChallenge(ctx, trx, 'login', account!.login_id, codeDestination(account!)));
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
