import type { AppContext } from '../platform';
import { AppError } from '../platform';
import { findInsuredPerson, type InsuredPersonRecord } from '../directory';
import { roleOnRecord } from '../records';
import { accountsDb, findAccount, findCaregiverAccount } from './store';
import { recordsOfAccount } from '../records';

/** What the signed-in person sees of their account and of the records they act on. */
export async function accountProfile(ctx: AppContext, loginId: string, currentRecordId: string | null) {
  const db = accountsDb(ctx);
  const account = await findAccount(ctx, loginId, db);
  if (!account) return caregiverProfile(ctx, loginId, currentRecordId);
  const person = await findInsuredPerson(ctx, account.nir);
  const records = await recordsOf(ctx, loginId, person);
  return {
    loginId,
    kind: 'patient' as const,
    identity: {
      birthName: person?.birthName ?? '',
      usedName: person?.usedName ?? null,
      firstNames: person?.firstNames ?? '',
      sex: person?.sex ?? null,
      birthDate: person?.birthDate ?? null,
      birthPlace: person?.birthPlace ?? null,
      ins: { matricule: account.nir, oid: person?.insOid ?? null },
    },
    contact: { mobile: account.mobile, email: account.email, codeChannel: account.code_channel },
    personal: {
      civility: account.civility,
      addressLine: account.address_line,
      postalCode: account.postal_code,
      city: account.city,
      country: account.country,
      birthCountry: account.birth_country,
      landline: account.landline,
    },
    firstLoginStep: account.first_login_step,
    records,
    currentRecordId: records.some((r) => r.recordId === currentRecordId) ? currentRecordId : (records[0]?.recordId ?? null),
  };
}

/** A caregiver with no DMP of their own (migration 0013): their name, contact, and the records they help with. */
async function caregiverProfile(ctx: AppContext, loginId: string, currentRecordId: string | null) {
  const account = await findCaregiverAccount(ctx, loginId);
  if (!account) throw new AppError(401, 'unauthenticated', 'Connexion nécessaire', 'Connectez-vous pour continuer.');
  const records = await recordsOf(ctx, loginId, null);
  return {
    loginId,
    kind: 'caregiver' as const,
    identity: { birthName: account.last_name, usedName: null, firstNames: account.first_name, sex: null, birthDate: null, birthPlace: null, ins: null },
    contact: { mobile: account.mobile, email: account.email, codeChannel: account.code_channel },
    personal: { civility: null, addressLine: null, postalCode: null, city: null, country: null, birthCountry: null, landline: null },
    firstLoginStep: null,
    records,
    currentRecordId: records.some((r) => r.recordId === currentRecordId) ? currentRecordId : (records[0]?.recordId ?? null),
  };
}

async function recordsOf(ctx: AppContext, loginId: string, person: InsuredPersonRecord | null) {
  return Promise.all(
    (await recordsOfAccount(accountsDb(ctx), loginId)).map(async (r) => {
      const who = r.role === 'holder' ? person : await findInsuredPerson(ctx, r.nir);
      return {
        recordId: r.recordId,
        role: r.role,
        firstNames: who?.firstNames ?? '',
        birthName: who?.birthName ?? '',
        status: r.status,
        closedAt: r.closedAt?.toISOString() ?? null,
      };
    }),
  );
}

/** Only records the account acts on can be selected. */
export async function canActOnRecord(ctx: AppContext, loginId: string, recordId: string): Promise<boolean> {
  return (await roleOnRecord(ctx, loginId, recordId)) !== null;
}

/** A caregiver's own login has no first-login wizard: they chose their password when accepting. */
export async function firstLoginPending(ctx: AppContext, loginId: string): Promise<boolean> {
  const account = await findAccount(ctx, loginId);
  if (!account) return (await findCaregiverAccount(ctx, loginId)) === null;
  return account.first_login_step !== null;
}
