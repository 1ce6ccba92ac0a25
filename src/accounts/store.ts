import type { Kysely, Selectable } from 'kysely';
import type { AppContext } from '../platform';
import { findInsuredPerson } from '../directory';
import { openPersonal, type CaregiverPersonal, type Keyed, type PatientPersonal } from './identity';
import type { AccountTables } from './tables';

/** Reads of the accounts module's own tables, shared by its flows; personal details come opened. */

export type AccountRow = Omit<Selectable<AccountTables['patient_account']>, 'nir_index' | 'personal'> & PatientPersonal;
export type CaregiverRow = Omit<Selectable<AccountTables['caregiver_account']>, 'personal'> & CaregiverPersonal;

export const accountsDb = (ctx: Pick<AppContext, 'database'>): Kysely<AccountTables> =>
  ctx.database.db.withTables<AccountTables>();

export async function findAccount(ctx: Keyed, loginId: string, db = accountsDb(ctx)): Promise<AccountRow | null> {
  const row = await db.selectFrom('patient_account').selectAll().where('login_id', '=', loginId).executeTakeFirst();
  if (!row) return null;
  const { nir_index: _index, personal, ...clear } = row;
  return { ...clear, ...openPersonal<PatientPersonal>(ctx.masterKey, 'patient_account', loginId, personal) };
}

/** What signing in needs of a login, a patient's or a caregiver's own (migration 0013). */
export type SignInAccount = Pick<AccountRow, 'login_id' | 'password_hash' | 'mobile' | 'email' | 'code_channel' | 'first_login_step'> & {
  kind: 'patient' | 'caregiver';
};

/** One identifier space for both: a caregiver signs in at «Accéder à mon DMP» like anyone. */
export async function findSignInAccount(ctx: Keyed, loginId: string, db = accountsDb(ctx)): Promise<SignInAccount | null> {
  const patient = await findAccount(ctx, loginId, db);
  if (patient) return { ...patient, kind: 'patient' };
  const caregiver = await findCaregiverAccount(ctx, loginId, db);
  return caregiver ? { ...caregiver, first_login_step: null, kind: 'caregiver' } : null;
}

export async function findCaregiverAccount(ctx: Keyed, loginId: string, db = accountsDb(ctx)): Promise<CaregiverRow | null> {
  const row = await db.selectFrom('caregiver_account').selectAll().where('login_id', '=', loginId).executeTakeFirst();
  if (!row) return null;
  const { personal, ...clear } = row;
  return { ...clear, ...openPersonal<CaregiverPersonal>(ctx.masterKey, 'caregiver_account', loginId, personal) };
}

/** Where one-time codes go: the channel the person chose, falling back to the other one they gave. */
export function codeDestination(account: Pick<AccountRow, 'code_channel' | 'mobile' | 'email'>): { channel: 'sms' | 'email'; value: string } {
  if (account.code_channel === 'sms' && account.mobile) return { channel: 'sms', value: account.mobile };
  if (account.email) return { channel: 'email', value: account.email };
  if (account.mobile) return { channel: 'sms', value: account.mobile };
  throw new Error('an account always has a mobile or an email');
}

/** The name an account's actions are shown under (« Dominique PAT-TROIS »). */
export async function accountDisplayName(ctx: AppContext, loginId: string): Promise<string> {
  const account = await findAccount(ctx, loginId);
  if (!account) {
    const caregiver = await findCaregiverAccount(ctx, loginId);
    if (caregiver) return `${caregiver.first_name} ${caregiver.last_name}`;
  }
  const person = account ? await findInsuredPerson(ctx, account.nir) : null;
  return person ? `${person.firstNames.split(' ')[0]} ${person.usedName ?? person.birthName}` : loginId;
}

/**
 * Where to reach these logins (a patient's account, or a caregiver's own login, migration 0013),
 * read by login id in the caller's transaction: each lookup goes by the accounts' own key.
 */
export async function contactsOf(
  db: Kysely<any>,
  masterKey: Buffer,
  loginIds: readonly string[],
): Promise<Map<string, { email: string | null; mobile: string | null }>> {
  const out = new Map<string, { email: string | null; mobile: string | null }>();
  if (loginIds.length === 0) return out;
  const accounts = db as Kysely<AccountTables>;
  for (const r of await accounts.selectFrom('patient_account').select(['login_id', 'personal']).where('login_id', 'in', [...loginIds]).execute()) {
    const { email, mobile } = openPersonal<PatientPersonal>(masterKey, 'patient_account', r.login_id, r.personal);
    out.set(r.login_id, { email, mobile });
  }
  const missing = loginIds.filter((id) => !out.has(id));
  if (missing.length) {
    for (const r of await accounts.selectFrom('caregiver_account').select(['login_id', 'personal']).where('login_id', 'in', missing).execute()) {
      const { email, mobile } = openPersonal<CaregiverPersonal>(masterKey, 'caregiver_account', r.login_id, r.personal);
      out.set(r.login_id, { email, mobile });
    }
  }
  return out;
}
