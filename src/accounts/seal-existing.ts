import type { SqlSession } from '../platform';
import { walkRows } from '../platform';
import { nirIndex, sealChallengeValue, sealPersonal } from './identity';
import { sealSessionData } from './sessions';

/**
 * Migration 0019's data step for the accounts' tables: the rows written in clear before it are
 * sealed and indexed as the code now writes them, in the migration's transaction, before its
 * SQL drops the clear columns. Plain SQL against the schema as 0019 leaves it halfway, not the
 * module's queries: those follow the schema of today, this step the schema of that day.
 */
export async function sealExistingAccounts(session: SqlSession, masterKey: Buffer): Promise<void> {
  type Patient = {
    login_id: string; nir: string; mobile: string | null; email: string | null; civility: string | null; address_line: string | null;
    postal_code: string | null; city: string | null; country: string | null; birth_country: string | null; landline: string | null;
  };
  const patientColumns = 'nir, mobile, email, civility, address_line, postal_code, city, country, birth_country, landline';
  await walkRows<Patient>(session, { table: 'patient_account', key: 'login_id', columns: patientColumns }, async ({ login_id, ...personal }) => {
    await session.query('UPDATE patient_account SET nir_index = $1, personal = $2 WHERE login_id = $3', [
      nirIndex(masterKey, personal.nir),
      sealPersonal(masterKey, 'patient_account', login_id, personal),
      login_id,
    ]);
  });
  for (const table of ['account_by_nir', 'creation_code']) {
    await walkRows<{ nir: string }>(session, { table, key: 'nir', distinct: true }, async ({ nir }) => {
      await session.query(`UPDATE ${table} SET nir_index = $1 WHERE nir = $2`, [nirIndex(masterKey, nir), nir]);
    });
  }
  type Caregiver = { login_id: string; first_name: string; last_name: string; mobile: string; email: string };
  await walkRows<Caregiver>(session, { table: 'caregiver_account', key: 'login_id', columns: 'first_name, last_name, mobile, email' }, async ({ login_id, ...personal }) => {
    await session.query('UPDATE caregiver_account SET personal = $1 WHERE login_id = $2', [sealPersonal(masterKey, 'caregiver_account', login_id, personal), login_id]);
  });
  await walkRows<{ id: string; new_value: string | null }>(session, { table: 'auth_challenge', key: 'id', columns: 'new_value' }, async ({ id, new_value }) => {
    if (new_value === null) return;
    await session.query('UPDATE auth_challenge SET new_value_sealed = $1 WHERE id = $2', [sealChallengeValue(masterKey, id, new_value), id]);
  });
  await walkRows<{ id: string; data: Record<string, unknown> }>(session, { table: 'session', key: 'id', columns: 'data' }, async ({ id, data }) => {
    await session.query('UPDATE session SET sealed_data = $1 WHERE id = $2', [sealSessionData(masterKey, id, data), id]);
  });
}
