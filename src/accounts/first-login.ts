import type { AppContext } from '../platform';
import { AppError, invalidField } from '../platform';
import { findInsuredPerson } from '../directory';
import { normalizeEmail, normalizeFrenchMobile } from '../directory';
import { checkAndHashNewPassword, storeNewPassword, type NewPassword } from './passwords';
import { changePersonal, type PatientPersonal } from './identity';
import { accountsDb, findAccount } from './store';
import { recordsOfAccount } from '../records';
import type { FirstLoginStep } from './tables';
import type { AccountEventSink } from './account-events';
import { setEmergencySwitches } from '../records';

/**
 * The first-login wizard (seed 001), exactly three steps, in order:
 * personal data, a new password and the code channel, emergency access.
 * Nothing else is reachable before it ends (see `requireCompletedFirstLogin`).
 */

const NEXT: Record<FirstLoginStep, FirstLoginStep | null> = { personal: 'password', password: 'emergency', emergency: null };

async function accountAtStep(ctx: AppContext, loginId: string, step: FirstLoginStep) {
  const account = await findAccount(ctx, loginId);
  if (!account) throw new AppError(401, 'unauthenticated', 'Connexion nécessaire', 'Connectez-vous pour continuer.');
  if (account.first_login_step !== step) {
    throw new AppError(409, 'wrong-step', 'Étape déjà faite ou pas encore ouverte', 'Cette étape n’est pas celle en cours. Rechargez la page.');
  }
  return account;
}

/** Moves the wizard on; `personal` is sealed with the rest of the account's details, `clear` goes in its columns. */
async function advance(ctx: AppContext, loginId: string, step: FirstLoginStep, personal: Partial<PatientPersonal>, clear: Record<string, unknown> = {}) {
  const next = NEXT[step];
  await accountsDb(ctx)
    .transaction()
    .execute((trx) =>
      changePersonal(ctx, trx, 'patient_account', loginId, personal, { ...clear, first_login_step: next, updated_at: ctx.clock.now() }, { first_login_step: step }),
    );
  return { next };
}

export interface PersonalData {
  civility: 'M' | 'Mme';
  addressLine: string;
  postalCode: string;
  city: string;
  country: string;
  birthCountry: string;
  landline?: string | undefined;
  mobile: string;
  mobileConfirmation: string;
  email: string;
  emailConfirmation: string;
}

export async function savePersonalData(ctx: AppContext, loginId: string, input: PersonalData) {
  await accountAtStep(ctx, loginId, 'personal');
  const mobile = normalizeFrenchMobile(input.mobile);
  if (!mobile) throw invalidField('mobile', 'Ce numéro de portable n’est pas valable. Exemple : 06 12 34 56 78.');
  if (normalizeFrenchMobile(input.mobileConfirmation) !== mobile) {
    throw invalidField('mobileConfirmation', 'Les deux numéros de portable sont différents.');
  }
  const email = normalizeEmail(input.email);
  if (!email) throw invalidField('email', 'Cette adresse mail n’est pas valable. Exemple : nom@exemple.fr.');
  if (normalizeEmail(input.emailConfirmation) !== email) {
    throw invalidField('emailConfirmation', 'Les deux adresses mail sont différentes.');
  }
  if (!/^\d{5}$/.test(input.postalCode.trim()) && input.country.trim().toLowerCase() === 'france') {
    throw invalidField('postalCode', 'Le code postal a 5 chiffres.');
  }
  return advance(ctx, loginId, 'personal', {
    civility: input.civility,
    address_line: input.addressLine.trim(),
    postal_code: input.postalCode.trim(),
    city: input.city.trim(),
    country: input.country.trim(),
    birth_country: input.birthCountry.trim(),
    landline: input.landline?.trim() || null,
    mobile,
    email,
  });
}

export async function replaceInitialPassword(
  ctx: AppContext,
  loginId: string,
  sessionId: string,
  input: NewPassword & { codeChannel: 'sms' | 'email' },
  events: AccountEventSink,
) {
  const account = await accountAtStep(ctx, loginId, 'password');
  const person = await findInsuredPerson(ctx, account.nir);
  const hash = await checkAndHashNewPassword(account, person, input);
  await storeNewPassword(ctx, loginId, hash, sessionId);
  await events(loginId, 'settings-changed', true, 'titulaire', { setting: 'password', codeChannel: input.codeChannel, firstLogin: true });
  return advance(ctx, loginId, 'password', {}, { code_channel: input.codeChannel });
}

export async function chooseEmergencyAccess(ctx: AppContext, loginId: string, input: { breakGlass: boolean; samu: boolean }, events: AccountEventSink) {
  await accountAtStep(ctx, loginId, 'emergency');
  const db = accountsDb(ctx);
  const own = (await recordsOfAccount(db, loginId)).find((r) => r.role === 'holder');
  if (own) await setEmergencySwitches(ctx, own.recordId, { breakGlass: input.breakGlass, samu: input.samu });
  await events(loginId, 'settings-changed', true, 'titulaire', {
    setting: 'emergency-access',
    breakGlass: input.breakGlass,
    samu: input.samu,
  });
  return advance(ctx, loginId, 'emergency', {});
}
