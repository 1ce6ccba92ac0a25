import type { Kysely, Selectable } from 'kysely';
import type { AppContext } from '../platform/context';
import type { AccountTables } from './tables';

/** Reads of the accounts module's own tables, shared by its flows. */

export type AccountRow = Selectable<AccountTables['patient_account']>;

export const accountsDb = (ctx: Pick<AppContext, 'database'>): Kysely<AccountTables> =>
  ctx.database.db.withTables<AccountTables>();

export async function findAccount(db: Kysely<AccountTables>, loginId: string): Promise<AccountRow | null> {
  return (await db.selectFrom('patient_account').selectAll().where('login_id', '=', loginId).executeTakeFirst()) ?? null;
}

/** What signing in needs of a login, a patient's or a caregiver's own (migration 0013). */
export type SignInAccount = Pick<AccountRow, 'login_id' | 'password_hash' | 'mobile' | 'email' | 'code_channel' | 'first_login_step'> & {
  kind: 'patient' | 'caregiver';
};

/** One identifier space for both: a caregiver signs in at «Accéder à mon DMP» like anyone. */
export async function findSignInAccount(db: Kysely<AccountTables>, loginId: string): Promise<SignInAccount | null> {
  const patient = await findAccount(db, loginId);
  if (patient) return { ...patient, kind: 'patient' };
  const caregiver = await findCaregiverAccount(db, loginId);
  return caregiver ? { ...caregiver, first_login_step: null, kind: 'caregiver' } : null;
}

export async function findCaregiverAccount(db: Kysely<AccountTables>, loginId: string) {
  return (await db.selectFrom('caregiver_account').selectAll().where('login_id', '=', loginId).executeTakeFirst()) ?? null;
}

export async function recordsOfAccount(db: Kysely<AccountTables>, loginId: string) {
  return db
    .selectFrom('account_record')
    .innerJoin('dmp_record', 'dmp_record.record_id', 'account_record.record_id')
    .select(['account_record.record_id as recordId', 'account_record.role as role', 'dmp_record.ins_matricule as nir', 'dmp_record.status as status', 'dmp_record.closed_at as closedAt'])
    .where('account_record.login_id', '=', loginId)
    .orderBy('account_record.created_at')
    .execute();
}

/** Where one-time codes go: the channel the person chose, falling back to the other one they gave. */
export function codeDestination(account: Pick<AccountRow, 'code_channel' | 'mobile' | 'email'>): { channel: 'sms' | 'email'; value: string } {
  if (account.code_channel === 'sms' && account.mobile) return { channel: 'sms', value: account.mobile };
  if (account.email) return { channel: 'email', value: account.email };
  if (account.mobile) return { channel: 'sms', value: account.mobile };
  throw new Error('an account always has a mobile or an email');
}
