import type { AppContext } from '../platform';
import { invalidField } from '../platform';
import { normalizeEmail, normalizeFrenchMobile } from '../directory';
import { issueChallenge, verifyChallenge, type IssuedChallenge } from './challenges';
import { changePersonal } from './identity';
import { accountsDb, findAccount } from './store';
import type { AccountEventSink } from './account-events';

/** A new mobile or email is kept only once a code sent to it comes back. */

export type ContactKind = 'mobile' | 'email';

export async function startContactChange(
  ctx: AppContext,
  loginId: string,
  input: { kind: ContactKind; value: string; valueConfirmation: string },
): Promise<IssuedChallenge> {
  const normalize = input.kind === 'mobile' ? normalizeFrenchMobile : normalizeEmail;
  const value = normalize(input.value);
  if (!value) {
    throw invalidField(
      'value',
      input.kind === 'mobile' ? 'Ce numéro de portable n’est pas valable. Exemple : 06 12 34 56 78.' : 'Cette adresse mail n’est pas valable.',
    );
  }
  if (normalize(input.valueConfirmation) !== value) {
    throw invalidField('valueConfirmation', input.kind === 'mobile' ? 'Les deux numéros sont différents.' : 'Les deux adresses sont différentes.');
  }
  const target = { channel: input.kind === 'mobile' ? ('sms' as const) : ('email' as const), value };
  return accountsDb(ctx)
    .transaction()
    .execute((trx) => issueChallenge(ctx, trx, 'contact-change', loginId, target, value));
}

export async function confirmContactChange(ctx: AppContext, loginId: string, challengeId: string, code: string, events: AccountEventSink) {
  const challenge = await verifyChallenge(ctx, 'contact-change', challengeId, code);
  if (challenge.login_id !== loginId || !challenge.new_value) throw invalidField('code', 'Ce code ne correspond pas à votre demande.');
  const column = challenge.channel === 'sms' ? 'mobile' : 'email';
  // A caregiver's own login (migration 0013) keeps its contact in its own row.
  const table = (await findAccount(ctx, loginId)) ? 'patient_account' : 'caregiver_account';
  const value = challenge.new_value;
  await accountsDb(ctx)
    .transaction()
    .execute((trx) => changePersonal(ctx, trx, table, loginId, { [column]: value }, { updated_at: ctx.clock.now() }));
  await events(loginId, 'settings-changed', true, 'titulaire', { setting: column });
  return { kind: column as 'mobile' | 'email' };
}
