import { createSession } from './sessions';
import type { AppContext } from '../platform';
import { AppError } from '../platform';
import { issueChallenge, resendChallenge, verifyChallenge, type IssuedChallenge } from './challenges';
import { accountsDb, codeDestination, findSignInAccount } from './store';
import { recordsOfAccount } from '../records';
import { passThePasswordGate, WRONG_CREDENTIALS } from './password-gate';
import type { AccountEventSink } from './account-events';

/**
 * Patient login (DOMAIN.md §3): identifier and password, then an 8-digit code
 * by SMS or email, at every login. An unknown identifier goes through the same
 * steps (a password check against a dummy hash, the same failure count and
 * lock), so the answers tell nothing about which identifiers exist.
 */

export async function startLogin(ctx: AppContext, loginId: string, password: string, events: AccountEventSink): Promise<IssuedChallenge> {
  const db = accountsDb(ctx);
  const identifier = loginId.trim().toLowerCase();
  const account = await findSignInAccount(ctx, identifier, db);
  await passThePasswordGate(ctx, {
    identifier,
    storedHash: account?.password_hash ?? null,
    password,
    canReset: true,
    onFailure: (lockedUntil) =>
      events(account!.login_id, 'login-failed', false, lockedUntil ? 'account-locked' : 'wrong-password'),
  });
  return db.transaction().execute((trx) => issueChallenge(ctx, trx, 'login', account!.login_id, codeDestination(account!)));
}

export interface CompletedLogin {
  token: string;
  loginId: string;
  firstLoginRequired: boolean;
}

export async function completeLogin(ctx: AppContext, challengeId: string, code: string, events: AccountEventSink): Promise<CompletedLogin> {
  const challenge = await verifyChallenge(ctx, 'login', challengeId, code);
  const db = accountsDb(ctx);
  const account = await findSignInAccount(ctx, challenge.login_id, db);
  if (!account) throw new AppError(401, 'wrong-credentials', 'Connexion impossible', WRONG_CREDENTIALS);
  const records = await recordsOfAccount(db, account.login_id);
  // A caregiver without a DMP of their own starts on the first record they help with.
  const own = records.find((r) => r.role === 'holder') ?? records[0];
  const { token } = await createSession(
    ctx.database.db, ctx.masterKey,
    // Caregivers get a patient-side session too: their role on each record is read at each request.
    { accountId: account.login_id, actorKind: 'patient', data: { currentRecordId: own?.recordId ?? null } },
    ctx.clock.now(),
  );
  await events(account.login_id, 'login', true, 'titulaire');
  return { token, loginId: account.login_id, firstLoginRequired: account.first_login_step !== null };
}

export function resendLoginCode(ctx: AppContext, challengeId: string): Promise<IssuedChallenge> {
  return resendChallenge(ctx, 'login', challengeId, async (loginId) => {
    const account = await findSignInAccount(ctx, loginId);
    return account ? codeDestination(account) : null;
  });
}
