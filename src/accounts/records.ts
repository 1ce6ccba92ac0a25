import type { AppContext } from '../core/context';
import { notFound } from '../core/errors';
import { findInsuredPerson } from '../directory/lookup';
import { findAccount } from './store';
import { accountsDb, recordsOfAccount } from './store';
import type { RecordRole } from './tables';

/** What other modules may know of a record and of a signed-in patient's link to it. */

export interface RecordFacts {
  recordId: string;
  insMatricule: string;
  insOid: string;
  status: 'active' | 'closed';
  allowBreakGlass: boolean;
  allowSamu: boolean;
  allowMaskedInEmergency: boolean;
}

export async function findRecord(ctx: AppContext, recordId: string): Promise<RecordFacts> {
  const row = await accountsDb(ctx).selectFrom('dmp_record').selectAll().where('record_id', '=', recordId).executeTakeFirst();
  if (!row) throw notFound('Ce DMP n’existe pas.');
  return {
    recordId: row.record_id,
    insMatricule: row.ins_matricule,
    insOid: row.ins_oid,
    status: row.status,
    allowBreakGlass: row.allow_break_glass,
    allowSamu: row.allow_samu,
    allowMaskedInEmergency: row.allow_masked_in_emergency,
  };
}

/** The accounts acting on a record: its holder and its legal representatives. */
export async function recordAccounts(ctx: AppContext, recordId: string): Promise<{ loginId: string; role: RecordRole }[]> {
  const rows = await accountsDb(ctx).selectFrom('account_record').select(['login_id', 'role']).where('record_id', '=', recordId).execute();
  return rows.map((r) => ({ loginId: r.login_id, role: r.role }));
}

export interface EmergencySwitches {
  breakGlass: boolean;
  samu: boolean;
  maskedInEmergency: boolean;
}

export async function setEmergencySwitches(ctx: AppContext, recordId: string, switches: EmergencySwitches): Promise<void> {
  await accountsDb(ctx)
    .updateTable('dmp_record')
    .set({ allow_break_glass: switches.breakGlass, allow_samu: switches.samu, allow_masked_in_emergency: switches.maskedInEmergency })
    .where('record_id', '=', recordId)
    .execute();
}

/** The record filed under this INS matricule (NIR or NIA), or null: there is at most one. */
export async function findRecordByIns(ctx: AppContext, matricule: string): Promise<RecordFacts | null> {
  const link = await accountsDb(ctx).selectFrom('record_by_ins').select('record_id').where('ins_matricule', '=', matricule).executeTakeFirst();
  return link ? findRecord(ctx, link.record_id) : null;
}

/** The account's role on the record: its holder, its legal representative, or none. */
export async function roleOnRecord(ctx: AppContext, loginId: string, recordId: string): Promise<RecordRole | null> {
  return (await recordsOfAccount(accountsDb(ctx), loginId)).find((r) => r.recordId === recordId)?.role ?? null;
}

/** The name an account's actions are shown under (« Dominique PAT-TROIS »). */
export async function accountDisplayName(ctx: AppContext, loginId: string): Promise<string> {
  const account = await findAccount(accountsDb(ctx), loginId);
  const person = account ? await findInsuredPerson(ctx.database, account.nir) : null;
  return person ? `${person.firstNames.split(' ')[0]} ${person.usedName ?? person.birthName}` : loginId;
}
