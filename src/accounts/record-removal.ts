import type { Kysely } from 'kysely';
import { nirIndex } from './identity';
import type { AccountTables } from './tables';
import { forgetRecordMembers, isMemberOfAny } from '../records';

/**
 * What the accounts module forgets when a record is destroyed (DOMAIN.md §7), in the caller's
 * transaction: the INS lookup (so that the person can create a new record later), every
 * account's link to the record, the person's creation codes, and each account that no longer
 * acts on any record (with its login challenges). Returns the login ids of those accounts, for
 * the caller to end their sessions and forget their preferences.
 */
export async function forgetDestroyedRecord(trx: Kysely<any>, masterKey: Buffer, recordId: string, insMatricule: string): Promise<string[]> {
  const db = trx as Kysely<AccountTables>;
  const linked = await forgetRecordMembers(trx, recordId, insMatricule);
  await db.deleteFrom('creation_code').where('nir_index', '=', nirIndex(masterKey, insMatricule)).execute();
  const removed: string[] = [];
  for (const loginId of linked) {
    if (await isMemberOfAny(trx, loginId)) continue;
    const account = await db.deleteFrom('patient_account').where('login_id', '=', loginId).returning('nir_index').executeTakeFirst();
    if (account) await db.deleteFrom('account_by_nir').where('nir_index', '=', Buffer.from(account.nir_index)).where('login_id', '=', loginId).execute();
    else await db.deleteFrom('caregiver_account').where('login_id', '=', loginId).execute();
    await db.deleteFrom('auth_challenge').where('login_id', '=', loginId).where('purpose', '!=', 'agent-login').execute();
    removed.push(loginId);
  }
  return removed;
}
