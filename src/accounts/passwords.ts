import { hashPassword, verifyPassword } from './password-hash';
import { evaluatePassword } from './password-policy';
import { revokeAllSessions } from './sessions';
import type { AppContext } from '../platform';
import { invalidField } from '../platform';
import type { InsuredPersonRecord } from '../directory';
import type { AccountRow } from './store';
import { accountsDb } from './store';

/**
 * Choosing a new password, wherever it happens (first login, forgotten
 * password): the same policy, the same hashing, and every other session ends.
 */

export interface NewPassword {
  newPassword: string;
  newPasswordConfirmation: string;
}

/** Whose names the password must not contain: the insured person, or a caregiver's own names. */
export type PasswordPerson = Pick<InsuredPersonRecord, 'birthName' | 'firstNames'> & { usedName?: string | null; birthDate?: string };

export async function checkAndHashNewPassword(
  account: Pick<AccountRow, 'login_id' | 'password_hash'>,
  person: PasswordPerson | null,
  input: NewPassword,
): Promise<string> {
  if (input.newPassword !== input.newPasswordConfirmation) {
    throw invalidField('newPasswordConfirmation', 'Les deux mots de passe sont différents. Tapez le même mot de passe deux fois.');
  }
  const verdict = evaluatePassword(input.newPassword, {
    loginId: account.login_id,
    names: person ? [person.birthName, person.firstNames, person.usedName ?? ''].filter(Boolean) : [],
    birthDate: person?.birthDate,
  });
  if (!verdict.acceptable) throw invalidField('newPassword', verdict.problems.join(' '));
  if (await verifyPassword(account.password_hash, input.newPassword)) {
    throw invalidField('newPassword', 'Choisissez un mot de passe différent de l’ancien.');
  }
  return hashPassword(input.newPassword);
}

export async function storeNewPassword(ctx: AppContext, loginId: string, hash: string, keepSessionId?: string): Promise<void> {
  const now = ctx.clock.now();
  await accountsDb(ctx)
    .updateTable('patient_account')
    .set({ password_hash: hash, password_is_initial: false, updated_at: now })
    .where('login_id', '=', loginId)
    .execute();
  await revokeAllSessions(ctx.database.db, loginId, now, keepSessionId);
}
