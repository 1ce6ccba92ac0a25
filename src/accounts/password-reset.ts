import { randomUUID } from 'node:crypto';
import type { AppContext } from '../core/context';
import { findInsuredPerson } from '../directory/lookup';
import { issueChallenge, verifyChallenge } from './challenges';
import { checkAndHashNewPassword, storeNewPassword, type NewPassword } from './passwords';
import { accountsDb, codeDestination, findAccount } from './store';
import { traceAccountEvent } from './trace';

/**
 * Forgotten password: identifier + NIR, then a code to the registered
 * channel, then a new password. The first answer is the same whether or not
 * the pair matches an account (a challenge id that no code will ever open).
 */

export const RESET_ANSWER =
  'Si ces informations correspondent à un DMP, un code à 8 chiffres vient d’être envoyé à votre portable ou à votre mail.';

export async function startPasswordReset(ctx: AppContext, loginId: string, nir: string): Promise<{ challengeId: string }> {
  const db = accountsDb(ctx);
  const account = await findAccount(db, loginId.trim().toLowerCase());
  if (!account || account.nir !== nir) return { challengeId: randomUUID() };
  const issued = await db.transaction().execute((trx) =>
    issueChallenge(ctx, trx, 'password-reset', account.login_id, codeDestination(account)),
  );
  return { challengeId: issued.challengeId };
}

export async function completePasswordReset(ctx: AppContext, challengeId: string, code: string, input: NewPassword) {
  const db = accountsDb(ctx);
  // The password is checked before the code is spent, so a refused password costs no code.
  const pending = await db.selectFrom('auth_challenge').select('login_id').where('id', '=', challengeId).executeTakeFirst();
  const account = pending ? await findAccount(db, pending.login_id) : null;
  if (account) {
    const person = await findInsuredPerson(ctx.database, account.nir);
    const hash = await checkAndHashNewPassword(account, person, input);
    await verifyChallenge(ctx, 'password-reset', challengeId, code);
    await storeNewPassword(ctx, account.login_id, hash);
    await traceAccountEvent(ctx, account.login_id, 'settings-changed', true, 'titulaire', { setting: 'password-reset' });
    return;
  }
  await verifyChallenge(ctx, 'password-reset', challengeId, code); // refuses, as for any unknown challenge
}
