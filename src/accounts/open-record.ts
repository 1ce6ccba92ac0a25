import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { conflict } from '../platform';
import type { InsuredPersonRecord } from '../directory';
import { generateLoginId } from '../identity';
import { nirIndex, sealPersonal } from './identity';
import type { AccountTables } from './tables';
import { addMember, insertRecord } from '../records';

/**
 * The one way a record comes to exist, whichever door the patient came through
 * (online with a code, with a professional, at the insurance desk): the record,
 * its INS lookup, the person's account with an initial password, and the link
 * between them, all in the caller's transaction.
 */

export interface Creator {
  kind: 'patient' | 'representative' | 'professional' | 'agent';
  id: string;
}

export interface Contact {
  mobile: string | null;
  email: string | null;
}

export interface OpenedRecord {
  recordId: string;
  loginId: string;
}

const LOGIN_ID_TRIES = 8;

/** Creates the person's record and account; `passwordHash` is the initial password, hashed by the caller. */
export async function openRecordWithAccount(
  trx: Kysely<AccountTables>,
  masterKey: Buffer,
  person: InsuredPersonRecord,
  creator: Creator,
  contact: Contact,
  passwordHash: string,
  now: Date,
  /** Demo data only: a known identifier instead of a drawn one. */
  fixedLoginId?: string,
): Promise<OpenedRecord> {
  const recordId = await insertRecord(trx, person, creator, now);
  const loginId = await insertAccount(trx, masterKey, person.nir, contact, passwordHash, now, fixedLoginId);
  await addMember(trx, recordId, loginId, 'holder', now);
  return { recordId, loginId };
}

async function insertAccount(
  trx: Kysely<AccountTables>,
  masterKey: Buffer,
  nir: string,
  contact: Contact,
  passwordHash: string,
  now: Date,
  fixedLoginId?: string,
): Promise<string> {
  const index = nirIndex(masterKey, nir);
  const owner = await trx
    .insertInto('account_by_nir')
    .values({ nir_index: index, login_id: '' })
    .onConflict((oc) => oc.column('nir_index').doNothing())
    .returning('login_id')
    .executeTakeFirst();
  if (!owner) throw conflict('Un DMP existe déjà pour cette personne.');
  // Identifiers are short on purpose, so they may collide: draw again, longer after a few tries.
  for (let attempt = 0; attempt < LOGIN_ID_TRIES; attempt++) {
    const loginId = fixedLoginId ?? generateLoginId({ extraDigits: Math.floor(attempt / 3) });
    // One identifier space with caregivers' own logins (migration 0013).
    if (!fixedLoginId && (await trx.selectFrom('caregiver_account').select('login_id').where('login_id', '=', loginId).executeTakeFirst())) continue;
    const inserted = await trx
      .insertInto('patient_account')
      .values({
        login_id: loginId,
        nir_index: index,
        personal: sealPersonal(masterKey, 'patient_account', loginId, {
          nir,
          mobile: contact.mobile,
          email: contact.email,
          civility: null,
          address_line: null,
          postal_code: null,
          city: null,
          country: null,
          birth_country: null,
          landline: null,
        }),
        password_hash: passwordHash,
        password_is_initial: true,
        code_channel: contact.mobile ? 'sms' : 'email',
        first_login_step: 'personal',
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('login_id').doNothing())
      .returning('login_id')
      .executeTakeFirst();
    if (inserted) {
      await trx.updateTable('account_by_nir').set({ login_id: loginId }).where('nir_index', '=', index).execute();
      return loginId;
    }
  }
  throw new Error('no free login identifier after several draws');
}
