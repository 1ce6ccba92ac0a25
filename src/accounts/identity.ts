import type { Kysely } from 'kysely';
import type { AppContext } from '../platform';
import { identitySeal, nirIndex } from '../platform';
import type { AccountTables } from './tables';

/**
 * What the accounts keep of a person is sealed (migration 0019): an operator reading the tables
 * sees login ids, channels, dates and blind indexes, never a NIR, a name, a mobile, an email or
 * an address. Each row's personal details are one sealed value bound to the table and the login
 * (`patient_account:<login id>:personal`); the NIR that lookups need is its blind index.
 */

export type Keyed = Pick<AppContext, 'database' | 'masterKey'>;

export interface PatientPersonal {
  nir: string;
  mobile: string | null;
  email: string | null;
  civility: string | null;
  address_line: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  birth_country: string | null;
  landline: string | null;
}

export interface CaregiverPersonal {
  first_name: string;
  last_name: string;
  mobile: string;
  email: string;
}

type PersonalTable = 'patient_account' | 'caregiver_account';
const place = (table: PersonalTable, loginId: string) => `${table}:${loginId}:personal`;

export { nirIndex };

export function sealPersonal(masterKey: Buffer, table: 'patient_account', loginId: string, personal: PatientPersonal): Buffer;
export function sealPersonal(masterKey: Buffer, table: 'caregiver_account', loginId: string, personal: CaregiverPersonal): Buffer;
export function sealPersonal(masterKey: Buffer, table: PersonalTable, loginId: string, personal: object): Buffer {
  return identitySeal(masterKey).seal(place(table, loginId), personal);
}

export function openPersonal<T extends PatientPersonal | CaregiverPersonal>(masterKey: Buffer, table: PersonalTable, loginId: string, sealed: Uint8Array): T {
  return identitySeal(masterKey).open<T>(place(table, loginId), sealed);
}

/** The challenge's new contact value, bound to the challenge. */
export const sealChallengeValue = (masterKey: Buffer, challengeId: string, value: string): Buffer =>
  identitySeal(masterKey).seal(`auth_challenge:${challengeId}:new_value`, value);
export const openChallengeValue = (masterKey: Buffer, challengeId: string, sealed: Uint8Array): string =>
  identitySeal(masterKey).open<string>(`auth_challenge:${challengeId}:new_value`, sealed);

/**
 * Changes some of a login's personal details: the sealed value is read, changed and sealed again
 * with the row locked, so that two changes at once (the mobile and the email) both stay.
 * `also` sets clear columns in the same statement; `onlyIf` narrows the row (a wizard's step):
 * false when no row matches.
 */
export async function changePersonal<T extends PersonalTable>(
  ctx: Keyed,
  trx: Kysely<AccountTables>,
  table: T,
  loginId: string,
  changes: Partial<T extends 'patient_account' ? PatientPersonal : CaregiverPersonal>,
  also: Record<string, unknown> = {},
  onlyIf: Record<string, unknown> = {},
): Promise<boolean> {
  const any = trx as Kysely<any>;
  const name: string = table;
  let query = any.selectFrom(name).select('personal').where('login_id', '=', loginId);
  for (const [column, value] of Object.entries(onlyIf)) query = query.where(column, '=', value);
  const row = await query.forUpdate().executeTakeFirst();
  if (!row) return false;
  const merged = { ...openPersonal(ctx.masterKey, table, loginId, row.personal), ...changes };
  await any
    .updateTable(name)
    .set({ ...also, personal: identitySeal(ctx.masterKey).seal(place(table, loginId), merged) })
    .where('login_id', '=', loginId)
    .execute();
  return true;
}
