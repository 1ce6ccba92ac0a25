import type { AppContext } from '../core/context';
import { notFound } from '../core/errors';
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
  };
}

/** The account's role on the record: its holder, its legal representative, or none. */
export async function roleOnRecord(ctx: AppContext, loginId: string, recordId: string): Promise<RecordRole | null> {
  return (await recordsOfAccount(accountsDb(ctx), loginId)).find((r) => r.recordId === recordId)?.role ?? null;
}
