import type { AppContext } from '../core/context';
import { AppError } from '../core/errors';
import { findInsuredPerson } from '../directory/lookup';
import { roleOnRecord } from './records';
import { accountsDb, findAccount, recordsOfAccount } from './store';

/** What the signed-in person sees of their account and of the records they act on. */
export async function accountProfile(ctx: AppContext, loginId: string, currentRecordId: string | null) {
  const db = accountsDb(ctx);
  const account = await findAccount(db, loginId);
  if (!account) throw new AppError(401, 'unauthenticated', 'Connexion nécessaire', 'Connectez-vous pour continuer.');
  const person = await findInsuredPerson(ctx.database, account.nir);
  const records = await Promise.all(
    (await recordsOfAccount(db, loginId)).map(async (r) => {
      const who = r.role === 'holder' ? person : await findInsuredPerson(ctx.database, r.nir);
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
  return {
    loginId,
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

/** Only records the account acts on can be selected. */
export async function canActOnRecord(ctx: AppContext, loginId: string, recordId: string): Promise<boolean> {
  return (await roleOnRecord(ctx, loginId, recordId)) !== null;
}

export async function firstLoginPending(ctx: AppContext, loginId: string): Promise<boolean> {
  const account = await findAccount(accountsDb(ctx), loginId);
  return !account || account.first_login_step !== null;
}
