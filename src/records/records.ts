import { sql, type Kysely } from 'kysely';
import type { AppContext } from '../platform';
import { AppError, notFound } from '../platform';
import { findInsuredPerson } from '../directory';
import type { RecordRole, RecordTables } from './tables';

/** What other modules may know of a record and of a signed-in patient's link to it. */

export interface RecordFacts {
  recordId: string;
  insMatricule: string;
  insOid: string;
  status: 'active' | 'closed';
  closedAt: Date | null;
  allowBreakGlass: boolean;
  allowSamu: boolean;
  allowMaskedInEmergency: boolean;
}

const recordsDb = (ctx: Pick<AppContext, 'database'>): Kysely<RecordTables> => ctx.database.db.withTables<RecordTables>();

/** The records a login acts on, with its role on each (the record's members, seen from the login). */
/** `db` may be the caller's transaction. */
export async function recordsOfAccount(db: Kysely<any>, loginId: string) {
  return (db as Kysely<RecordTables>)
    .selectFrom('account_record')
    .innerJoin('dmp_record', 'dmp_record.record_id', 'account_record.record_id')
    .select(['account_record.record_id as recordId', 'account_record.role as role', 'dmp_record.ins_matricule as nir', 'dmp_record.status as status', 'dmp_record.closed_at as closedAt'])
    .where('account_record.login_id', '=', loginId)
    .orderBy('account_record.created_at')
    .execute();
}

export async function findRecord(ctx: AppContext, recordId: string): Promise<RecordFacts> {
  const row = await recordsDb(ctx).selectFrom('dmp_record').selectAll().where('record_id', '=', recordId).executeTakeFirst();
  if (!row) throw notFound('Ce DMP n’existe pas.');
  return {
    recordId: row.record_id,
    insMatricule: row.ins_matricule,
    insOid: row.ins_oid,
    status: row.status,
    closedAt: row.closed_at,
    allowBreakGlass: row.allow_break_glass,
    allowSamu: row.allow_samu,
    allowMaskedInEmergency: row.allow_masked_in_emergency,
  };
}

/** The accounts acting on a record: its holder and its legal representatives. */
/** The record's members in the order they joined, read in the caller's transaction (`db`). */
export async function membersOf(db: Kysely<any>, recordId: string): Promise<{ loginId: string; role: RecordRole }[]> {
  const rows = await (db as Kysely<RecordTables>)
    .selectFrom('account_record')
    .select(['login_id', 'role'])
    .where('record_id', '=', recordId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ loginId: r.login_id, role: r.role }));
}

/** Whether this is the login's first record: its own first, then the others in the order they were linked. */
export async function isFirstRecordOf(db: Kysely<any>, loginId: string, recordId: string): Promise<boolean> {
  const first = await (db as Kysely<RecordTables>)
    .selectFrom('account_record')
    .select('record_id')
    .where('login_id', '=', loginId)
    .orderBy(sql`role = 'holder'`, 'desc')
    .orderBy('created_at')
    .orderBy('record_id')
    .limit(1)
    .executeTakeFirst();
  return first?.record_id === recordId;
}

export interface EmergencySwitches {
  breakGlass: boolean;
  samu: boolean;
  maskedInEmergency: boolean;
}

/** Sets the switches given; one left out (the first-login wizard asks only two) keeps its value. */
export async function setEmergencySwitches(ctx: AppContext, recordId: string, switches: Pick<EmergencySwitches, 'breakGlass' | 'samu'> & Partial<EmergencySwitches>): Promise<void> {
  await recordsDb(ctx)
    .updateTable('dmp_record')
    .set({
      allow_break_glass: switches.breakGlass,
      allow_samu: switches.samu,
      ...(switches.maskedInEmergency === undefined ? {} : { allow_masked_in_emergency: switches.maskedInEmergency }),
    })
    .where('record_id', '=', recordId)
    .execute();
}

/** The record filed under this INS matricule (NIR or NIA), or null: there is at most one. */
export async function findRecordByIns(ctx: AppContext, matricule: string): Promise<RecordFacts | null> {
  const recordId = await recordIdOfIns(ctx, matricule);
  return recordId ? findRecord(ctx, recordId) : null;
}

/** The record keyed by this INS, if there is one (the directory lookup alone). */
export async function recordIdOfIns(ctx: Pick<AppContext, 'database'>, matricule: string): Promise<string | null> {
  const link = await recordsDb(ctx).selectFrom('record_by_ins').select('record_id').where('ins_matricule', '=', matricule).executeTakeFirst();
  return link?.record_id ?? null;
}

/** The account's role on the record: its holder, its legal representative, or none. */
export async function roleOnRecord(ctx: AppContext, loginId: string, recordId: string): Promise<RecordRole | null> {
  return (await recordsOfAccount(recordsDb(ctx), loginId)).find((r) => r.recordId === recordId)?.role ?? null;
}

/** Who the policy and the trail see when an account acts on a record in this role. */
export function actorKindOf(role: RecordRole): 'patient' | 'representative' | 'caregiver' {
  if (role === 'holder') return 'patient';
  return role === 'caregiver' ? 'caregiver' : 'representative';
}

/** The policy's rule for an allowed patient-side action in this role. */
export function ruleOfRole(role: RecordRole): 'titulaire' | 'legal-representative' | 'caregiver' {
  if (role === 'holder') return 'titulaire';
  return role === 'caregiver' ? 'caregiver' : 'legal-representative';
}

// ---- The life of a record (DOMAIN.md §7): the lifecycle module decides, these write ----------

/** What a change on a closed record is answered, whichever door it came through. */
export const recordClosed = () => new AppError(409, 'record-closed', 'DMP fermé', 'Ce DMP est fermé : rien ne peut y être changé. Réactivez-le d’abord.');

/** Closes an active record in the caller's transaction; false when it was not active (nothing changes). */
export async function markRecordClosed(db: Kysely<any>, recordId: string, now: Date): Promise<boolean> {
  const row = await (db as Kysely<RecordTables>)
    .updateTable('dmp_record')
    .set({ status: 'closed', closed_at: now })
    .where('record_id', '=', recordId)
    .where('status', '=', 'active')
    .returning('record_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Reopens a closed record in the caller's transaction; false when it was not closed. */
export async function markRecordReactivated(db: Kysely<any>, recordId: string): Promise<boolean> {
  const row = await (db as Kysely<RecordTables>)
    .updateTable('dmp_record')
    .set({ status: 'active', closed_at: null })
    .where('record_id', '=', recordId)
    .where('status', '=', 'closed')
    .returning('record_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Locks the record's row until the caller's transaction ends (a destruction against a reactivation). */
export async function lockRecord(db: Kysely<any>, recordId: string) {
  const row = await (db as Kysely<RecordTables>)
    .selectFrom('dmp_record')
    .select(['record_id', 'status', 'closed_at', 'ins_matricule'])
    .where('record_id', '=', recordId)
    .forUpdate()
    .executeTakeFirst();
  return row ? { recordId: row.record_id, status: row.status, closedAt: row.closed_at, insMatricule: row.ins_matricule } : null;
}

/** Closed records closed at or before `bound`, oldest first, for the retention purge. */
export async function closedRecordsUpTo(ctx: Pick<AppContext, 'database'>, bound: Date, limit: number, excluding: readonly string[] = []) {
  let query = recordsDb(ctx)
    .selectFrom('dmp_record')
    .select(['record_id', 'status', 'closed_at'])
    .where('status', '=', 'closed')
    .where('closed_at', '<=', bound);
  if (excluding.length) query = query.where('record_id', 'not in', excluding);
  const rows = await query.orderBy('closed_at').orderBy('record_id').limit(limit).execute();
  return rows.map((r) => ({ recordId: r.record_id, status: r.status, closedAt: r.closed_at }));
}
