import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { migrateDatabase } from '../src/app/cli/migrations';
import { nirIndex } from '../src/accounts/identity';
import { findSession } from '../src/accounts/sessions';
import { contactsOf, findAccount, findCaregiverAccount } from '../src/accounts/store';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { findInsuredPerson, listPersonsOnCard } from '../src/directory/lookup';
import { migrate, readMigrations } from '../src/platform/db/migrate';
import { ManualClock } from '../src/platform/clock';
import type { AppContext } from '../src/platform/context';
import { dataKeyFor, sealForRecord } from '../src/platform/crypto/record-keys';
import { documentVersions } from '../src/documents/reading';
import { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { lastCode } from './helpers/outbox';
import { DOMINIQUE, signedInPatient, type DemoPerson } from './helpers/patients';
import { CLAIRE_MARTIN, professionalClient } from './helpers/professionals';

/**
 * Issue 11, finding 14: an operator reading the tables reads no NIR, name, mobile, email or
 * address in clear, nor what a session carries; lookups go by blind indexes.
 */

const ELODIE: DemoPerson = { nir: '287094410927272', serial: '1115613774503792', email: 'elodie.durand@example.com' };
const AIDANT = { firstName: 'Camille', lastName: 'Aidantissime', email: 'camille.aidant@example.org', mobile: '06 11 22 33 44' };
const SEALED_TABLES = ['patient_account', 'account_by_nir', 'creation_code', 'caregiver_account', 'auth_challenge', 'session', 'insured_person'];

/** Every row of the table as text, bytea in hex: what `SELECT *` shows an operator. */
async function rowsAsText(t: { ctx: { database: TestDatabase['database'] } }, table: string): Promise<string[]> {
  const rows = await sql<{ row: string }>`SELECT row_to_json(x)::text AS row FROM ${sql.table(table)} x`.execute(t.ctx.database.db);
  return rows.rows.map((r) => r.row);
}

function assertNoneIn(rows: string[], secrets: string[], table: string) {
  for (const row of rows) {
    for (const secret of secrets) assert.ok(!row.toLowerCase().includes(secret.toLowerCase()), `${table} holds «${secret}» in clear: ${row.slice(0, 200)}`);
  }
}

describe('sealed identities: what the tables show an operator', () => {
  let t: TestApp;
  let patient: TestClient;
  let recordId: string;
  const ok = (res: { statusCode: number; body: string }, status = 200) => assert.equal(res.statusCode, status, res.body);

  before(async () => {
    t = await startTestApp();
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ client: patient, recordId } = await signedInPatient(t, DOMINIQUE));
    // A document the patient adds: their name goes with it.
    ok(await patient.post(`/api/records/${recordId}/notes`, { title: 'Mes rendez-vous', text: 'Cardiologue le 3 avril.' }), 201);
    // A creation code asked for and not used yet.
    ok(await new TestClient(t.app, '10.8.0.1').post('/api/creation/code-requests', { nir: ELODIE.nir, nirConfirmation: ELODIE.nir }), 202);
    // A caregiver with a login of their own.
    ok(await patient.post(`/api/records/${recordId}/caregivers`, { firstName: AIDANT.firstName, lastName: AIDANT.lastName, email: AIDANT.email }), 201);
    const code = await lastCode(t.ctx, 'caregiver-invitation', AIDANT.email);
    ok(
      await new TestClient(t.app, '10.8.0.2').post('/api/caregiver-invitations/accept', {
        code, email: AIDANT.email, mobile: AIDANT.mobile, newPassword: 'Galet-Fougère-Lanterne-73', newPasswordConfirmation: 'Galet-Fougère-Lanterne-73',
      }),
      201,
    );
    // A new mobile waiting for its code.
    ok(await patient.post('/api/me/contact-change', { kind: 'mobile', value: '07 11 22 33 44', valueConfirmation: '0711223344' }));
    // A professional's session, carrying their name and profession.
    const claire = await professionalClient(t, CLAIRE_MARTIN);
    ok(await claire.get('/api/pro/me'));
  });
  after(async () => t.close());

  it('accounts, creation codes, challenges, sessions and the directory hold no NIR, name, mobile, email or address in clear', async () => {
    const secrets = [
      DOMINIQUE.nir, ELODIE.nir, DOMINIQUE.email, 'camille.aidant', '639980050', '611223344', '711223344', 'rue de la Paix', 'Paris',
      AIDANT.firstName, AIDANT.lastName, 'PAT-TROIS', 'Claire', 'MARTIN',
      // The directory's own: Nicolas DURAND's line (demo/insured-persons.csv), and his Vitale card.
      '185054958815725', 'DURAND', 'Nicolas', 'nicolas.durand', '1242687940214477', '1985-05-14', 'Angers',
    ];
    for (const table of SEALED_TABLES) {
      const rows = await rowsAsText(t, table);
      assert.ok(rows.length > 0, `${table} has rows to look at`);
      assertNoneIn(rows, secrets, table);
    }
    // A professional's RPPS is public and names their sessions; who is whose médecin traitant is not.
    assertNoneIn(await rowsAsText(t, 'insured_person'), [CLAIRE_MARTIN], 'insured_person');
  });

  it('a patient’s name on a document they added is sealed under the record’s key, and shown to them', async () => {
    const rows = await sql<{ row: string }>`SELECT row_to_json(d)::text AS row FROM document d WHERE author_kind = 'patient'`.execute(t.ctx.database.db);
    assert.equal(rows.rows.length, 1);
    assertNoneIn(rows.rows.map((r) => r.row), ['Dominique', 'PAT-TROIS'], 'document');
    const listed = (await patient.get(`/api/records/${recordId}/documents`)).json().documents as { author: { kind: string; name: string } }[];
    assert.deepEqual(listed.filter((d) => d.author.kind === 'patient').map((d) => d.author.name), ['Dominique PAT-TROIS']);
  });

  it('lookups by NIR go through the blind index, which is keyed', async () => {
    const index = nirIndex(t.ctx.masterKey, DOMINIQUE.nir);
    const owner = await sql<{ login_id: string }>`SELECT login_id FROM account_by_nir WHERE nir_index = ${index}`.execute(t.ctx.database.db);
    assert.equal(owner.rows.length, 1);
    assert.notDeepEqual(nirIndex(randomBytes(32), DOMINIQUE.nir), index, 'another key gives another index');
    assert.notDeepEqual(createHash('sha256').update(DOMINIQUE.nir).digest(), index);
    const account = await findAccount(t.ctx, owner.rows[0]!.login_id);
    assert.equal(account?.nir, DOMINIQUE.nir);
    assert.equal(account?.address_line, '1 rue de la Paix');
    const person = await sql<{ n: number }>`SELECT count(*)::int AS n FROM insured_person WHERE nir_index = ${index}`.execute(t.ctx.database.db);
    assert.equal(person.rows[0]!.n, 1, 'the directory and the accounts share the index of a NIR');
    assert.equal((await findInsuredPerson(t.ctx, DOMINIQUE.nir))?.birthName, 'PAT-TROIS');
  });

  it('a sealed value moved onto another row does not open', async () => {
    const logins = await sql<{ login_id: string }>`SELECT login_id FROM patient_account`.execute(t.ctx.database.db);
    const caregiver = await sql<{ login_id: string }>`SELECT login_id FROM caregiver_account`.execute(t.ctx.database.db);
    const [patientLogin, caregiverLogin] = [logins.rows[0]!.login_id, caregiver.rows[0]!.login_id];
    await sql`UPDATE caregiver_account SET personal = (SELECT personal FROM patient_account WHERE login_id = ${patientLogin}) WHERE login_id = ${caregiverLogin}`.execute(t.ctx.database.db);
    await assert.rejects(findCaregiverAccount(t.ctx, caregiverLogin), /altered or the key is wrong/);
  });
});

describe('migration 0019 seals the rows written before it', () => {
  let db: TestDatabase;
  const masterKey = randomBytes(32);
  const token = randomBytes(32);
  const now = new Date();
  const [RECORD, NOTE] = [randomUUID(), randomUUID()];

  before(async () => {
    db = await createTestDatabase({ migrated: false });
    await migrate(db.database, readMigrations().filter((m) => m.version < 19));
    const x = db.database.db;
    await sql`INSERT INTO patient_account (login_id, nir, password_hash, password_is_initial, mobile, email, code_channel, first_login_step, civility,
                address_line, postal_code, city, country, birth_country, landline, created_at, updated_at)
              VALUES ('old1234', ${DOMINIQUE.nir}, 'hash', false, '+33639980050', ${DOMINIQUE.email}, 'email', NULL, 'Mme',
                '1 rue de la Paix', '75002', 'Paris', 'France', 'France', NULL, ${now}, ${now})`.execute(x);
    await sql`INSERT INTO account_by_nir (nir, login_id) VALUES (${DOMINIQUE.nir}, 'old1234')`.execute(x);
    await sql`INSERT INTO creation_code (nir, id, code_mac, created_at, expires_at) VALUES (${ELODIE.nir}, gen_random_uuid(), decode('00', 'hex'), ${now}, ${now})`.execute(x);
    await sql`INSERT INTO caregiver_account (login_id, first_name, last_name, password_hash, mobile, email, code_channel, created_at, updated_at)
              VALUES ('cam5678', ${AIDANT.firstName}, ${AIDANT.lastName}, 'hash', '+33611223344', ${AIDANT.email}, 'sms', ${now}, ${now})`.execute(x);
    await sql`INSERT INTO auth_challenge (id, purpose, login_id, code_mac, channel, new_value, created_at, expires_at)
              VALUES (gen_random_uuid(), 'contact-change', 'old1234', decode('00', 'hex'), 'sms', '+33711223344', ${now}, ${now})`.execute(x);
    await sql`INSERT INTO session (id, token_hash, account_id, actor_kind, created_at, last_seen_at, expires_at, data)
              VALUES (gen_random_uuid(), ${createHash('sha256').update(token).digest()}, ${CLAIRE_MARTIN}, 'professional', ${now}, ${now},
                ${new Date(now.getTime() + 3600_000)}, '{"lastName":"MARTIN","currentRecordId":"r-1"}')`.execute(x);
    await sql`INSERT INTO insured_person (nir, ins_oid, birth_name, first_names, used_name, sex, birth_date, birth_place, card_holder_nir, vitale_serial,
                vitale_type, email, mobile, address_line, postal_code, city, treating_doctor_rpps)
              VALUES (${DOMINIQUE.nir}, '1.2.250.1.213.1.4.10', 'PAT-TROIS', 'Dominique Marie', NULL, 'F', '1979-03-05', '51215', ${DOMINIQUE.nir},
                ${DOMINIQUE.serial}, 'photo', ${DOMINIQUE.email}, '+33639980050', '1 rue de la Paix', '75002', 'Paris', ${CLAIRE_MARTIN})`.execute(x);
    // A note the patient added: the record's key, then the row as 0006/0014 wrote it.
    const key = await dataKeyFor(x, masterKey, RECORD, now);
    await sql`INSERT INTO document (record_id, document_id, version, status, type_code, type_system, category, title_sealed, care_date, author_kind,
                author_id, author_name, format, media_type, size_bytes, sha256, blob_key, created_at)
              VALUES (${RECORD}, ${NOTE}, 1, 'current', 'NOTE', 'opendmp', 'personal', ${sealForRecord(key, RECORD, 'document-title', 'Mes rendez-vous')},
                '2026-01-02', 'patient', 'old1234', 'Dominique PAT-TROIS', 'text', 'text/plain', 4, decode('00', 'hex'), 'blob-1', ${now})`.execute(x);
    await migrateDatabase(db.database, masterKey);
  });
  after(async () => db.drop());

  it('keeps every value, now sealed or indexed, and drops the clear columns', async () => {
    const ctx = { database: db.database, masterKey };
    const account = await findAccount(ctx, 'old1234');
    assert.deepEqual(
      [account?.nir, account?.email, account?.mobile, account?.address_line, account?.city, account?.civility],
      [DOMINIQUE.nir, DOMINIQUE.email, '+33639980050', '1 rue de la Paix', 'Paris', 'Mme'],
    );
    const caregiver = await findCaregiverAccount(ctx, 'cam5678');
    assert.deepEqual([caregiver?.first_name, caregiver?.last_name, caregiver?.email], [AIDANT.firstName, AIDANT.lastName, AIDANT.email]);
    assert.deepEqual((await contactsOf(db.database.db, masterKey, ['cam5678'])).get('cam5678'), { email: AIDANT.email, mobile: '+33611223344' });
    const byNir = await sql<{ login_id: string }>`SELECT login_id FROM account_by_nir WHERE nir_index = ${nirIndex(masterKey, DOMINIQUE.nir)}`.execute(db.database.db);
    assert.deepEqual(byNir.rows, [{ login_id: 'old1234' }]);
    const codes = await sql<{ n: number }>`SELECT count(*)::int AS n FROM creation_code WHERE nir_index = ${nirIndex(masterKey, ELODIE.nir)}`.execute(db.database.db);
    assert.equal(codes.rows[0]!.n, 1);
    const person = await findInsuredPerson(ctx, DOMINIQUE.nir);
    assert.deepEqual(
      [person?.birthName, person?.firstNames, person?.birthDate, person?.vitaleSerial, person?.address.city, person?.treatingDoctorRpps],
      ['PAT-TROIS', 'Dominique Marie', '1979-03-05', DOMINIQUE.serial, 'Paris', CLAIRE_MARTIN],
    );
    assert.deepEqual((await listPersonsOnCard(ctx, DOMINIQUE.nir)).map((p) => p.nir), [DOMINIQUE.nir]);
    const [note] = await documentVersions({ database: db.database, masterKey, clock: new ManualClock() } as unknown as AppContext, RECORD, NOTE);
    assert.deepEqual([note?.title, note?.author.name], ['Mes rendez-vous', 'Dominique PAT-TROIS']);
    assertNoneIn(await rowsAsText({ ctx }, 'document'), ['Dominique', 'PAT-TROIS'], 'document');
    const session = await findSession(db.database.db, masterKey, token.toString('base64url'), now);
    assert.deepEqual(session?.data, { lastName: 'MARTIN', currentRecordId: 'r-1' });
    for (const table of SEALED_TABLES) {
      assertNoneIn(await rowsAsText({ ctx }, table), [DOMINIQUE.nir, ELODIE.nir, DOMINIQUE.email, 'camille', 'Paix', '639980050', '711223344', 'MARTIN', 'PAT-TROIS', DOMINIQUE.serial, '1979-03-05'], table);
    }
  });
});
