import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { conflict } from '../platform';
import type { InsuredPersonRecord } from '../directory';
import type { RecordRole, RecordTables } from './tables';

/**
 * Writes of the record itself and of who belongs to it (its holder, representatives,
 * caregivers), always in the caller's transaction: the accounts module opens a record with its
 * login, links a child or a caregiver, and forgets them, in one transaction with its own rows.
 */

const records = (db: Kysely<any>) => db as Kysely<RecordTables>;

/** Who opens a record, with the patient's consent (DOMAIN.md §2). */
export interface RecordCreator {
  kind: 'patient' | 'representative' | 'professional' | 'agent';
  id: string;
}

/** Claims the person's INS and opens their record; a second record for one INS is refused. */
export async function insertRecord(trx: Kysely<any>, person: InsuredPersonRecord, creator: RecordCreator, now: Date): Promise<string> {
  const recordId = randomUUID();
  const claimed = await records(trx)
    .insertInto('record_by_ins')
    .values({ ins_matricule: person.nir, record_id: recordId, created_at: now })
    .onConflict((oc) => oc.column('ins_matricule').doNothing())
    .returning('record_id')
    .executeTakeFirst();
  if (!claimed) {
    const existing = await records(trx)
      .selectFrom('record_by_ins')
      .innerJoin('dmp_record', 'dmp_record.record_id', 'record_by_ins.record_id')
      .select('dmp_record.status')
      .where('record_by_ins.ins_matricule', '=', person.nir)
      .executeTakeFirst();
    throw conflict(
      existing?.status === 'closed'
        ? 'Un DMP existe déjà pour cette personne, mais il est fermé : elle peut le réactiver en se connectant à son DMP.'
        : 'Un DMP existe déjà pour cette personne.',
    );
  }
  await records(trx)
    .insertInto('dmp_record')
    .values({
      record_id: recordId,
      ins_oid: person.insOid,
      ins_matricule: person.nir,
      status: 'active',
      created_at: now,
      created_by_kind: creator.kind,
      created_by_id: creator.id,
      consent_at: now,
      consent_by: creator.id,
      allow_break_glass: true,
      allow_samu: true,
      closed_at: null,
    })
    .execute();
  return recordId;
}

/** Whether a record is already keyed by this INS (seen in the caller's transaction). */
export async function insHasRecord(db: Kysely<any>, matricule: string): Promise<boolean> {
  return !!(await records(db).selectFrom('record_by_ins').select('record_id').where('ins_matricule', '=', matricule).executeTakeFirst());
}

/** Which of these INS already have a record. */
export async function insWithRecords(db: Kysely<any>, matricules: readonly string[]): Promise<Set<string>> {
  if (matricules.length === 0) return new Set();
  const rows = await records(db).selectFrom('record_by_ins').select('ins_matricule').where('ins_matricule', 'in', [...matricules]).execute();
  return new Set(rows.map((r) => r.ins_matricule));
}

export async function addMember(trx: Kysely<any>, recordId: string, loginId: string, role: RecordRole, now: Date): Promise<void> {
  await records(trx).insertInto('account_record').values({ login_id: loginId, record_id: recordId, role, created_at: now }).execute();
}

export async function roleOf(db: Kysely<any>, loginId: string, recordId: string): Promise<RecordRole | null> {
  const row = await records(db).selectFrom('account_record').select('role').where('login_id', '=', loginId).where('record_id', '=', recordId).executeTakeFirst();
  return row?.role ?? null;
}

export async function removeMember(trx: Kysely<any>, recordId: string, loginId: string, role: RecordRole): Promise<void> {
  await records(trx).deleteFrom('account_record').where('login_id', '=', loginId).where('record_id', '=', recordId).where('role', '=', role).execute();
}

/** Whether the login still acts on any record. */
export async function isMemberOfAny(db: Kysely<any>, loginId: string): Promise<boolean> {
  return !!(await records(db).selectFrom('account_record').select('record_id').where('login_id', '=', loginId).limit(1).executeTakeFirst());
}

/**
 * A destroyed record lets its INS go (the person may open a new record later) and loses its
 * members; returns who they were, for the accounts module to forget the logins left with nothing.
 */
export async function forgetRecordMembers(trx: Kysely<any>, recordId: string, insMatricule: string): Promise<string[]> {
  const linked = await records(trx).selectFrom('account_record').select('login_id').where('record_id', '=', recordId).execute();
  await records(trx).deleteFrom('record_by_ins').where('ins_matricule', '=', insMatricule).where('record_id', '=', recordId).execute();
  await records(trx).deleteFrom('account_record').where('record_id', '=', recordId).execute();
  return linked.map((r) => r.login_id);
}
