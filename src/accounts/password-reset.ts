import { randomUUID } from 'node:crypto';
import { revokeAllSessions } from './sessions';
import type { AppContext } from '../platform';
import { findInsuredPerson } from '../directory';
import { issueChallenge, verifyChallenge } from './challenges';
import { checkAndHashNewPassword, storeNewPassword, type NewPassword } from './passwords';
import { accountsDb, codeDestination, findAccount, findCaregiverAccount } from './store';
import type { AccountEventSink } from './account-events';

/**
 * Forgotten password: identifier + NIR (a caregiver's own login, which has no
 * NIR: identifier + the email given when accepting the invitation), then a code
 * to the registered channel, then a new password. The first answer is the same
 * whether or not the pair matches an account (a challenge id that no code will
 * ever open).
 */

export const RESET_ANSWER =
  'Si ces informations correspondent à un DMP, un code à 8 chiffres vient d’être envoyé à votre portable ou à votre mail.';

export type ResetProof = { nir: string } | { email: string };

export async function startPasswordReset(ctx: AppContext, loginId: string, proof: ResetProof): Promise<{ challengeId: string }> {
  const db = accountsDb(ctx);
  const id = loginId.trim().toLowerCase();
  const account = 'nir' in proof ? await findAccount(ctx, id, db) : await findCaregiverAccount(ctx, id, db);
  const matches = account && ('nir' in proof ? 'nir' in account && account.nir === proof.nir : account.email === proof.email);
  if (!account || !matches) return { challengeId: randomUUID() };
  const issued = await db.transaction().execute((trx) =>
    issueChallenge(ctx, trx, 'password-reset', account.login_id, codeDestination(account)),
  );
  return { challengeId: issued.challengeId };
}

export async function completePasswordReset(ctx: AppContext, challengeId: string, code: string, input: NewPassword, events: AccountEventSink) {
  const db = accountsDb(ctx);
  // The password is checked before the code is spent, so a refused password costs no code.
  const pending = await db.selectFrom('auth_challenge').select('login_id').where('id', '=', challengeId).executeTakeFirst();
  const account = pending ? await findAccount(ctx, pending.login_id, db) : null;
  if (account) {
    const person = await findInsuredPerson(ctx, account.nir);
    const hash = await checkAndHashNewPassword(account, person, input);
    await verifyChallenge(ctx, 'password-reset', challengeId, code);
    await storeNewPassword(ctx, account.login_id, hash);
    await events(account.login_id, 'settings-changed', true, 'titulaire', { setting: 'password-reset' });
    return;
  }
  const caregiver = pending ? await findCaregiverAccount(ctx, pending.login_id, db) : null;
  if (caregiver) {
    const hash = await checkAndHashNewPassword(caregiver, { birthName: caregiver.last_name, firstNames: caregiver.first_name }, input);
    await verifyChallenge(ctx, 'password-reset', challengeId, code);
    const now = ctx.clock.now();
    await db.updateTable('caregiver_account').set({ password_hash: hash, updated_at: now }).where('login_id', '=', caregiver.login_id).execute();
    await revokeAllSessions(ctx.database.db, caregiver.login_id, now);
    await events(caregiver.login_id, 'settings-changed', true, 'caregiver', { setting: 'password-reset' });
    return;
  }
  await verifyChallenge(ctx, 'password-reset', challengeId, code); // refuses, as for any unknown challenge
}
