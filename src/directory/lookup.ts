import type { Selectable } from 'kysely';
import type { Database } from '../platform';
import type { DirectoryTables } from './tables';

/** What other modules may read of the insured-persons directory. */
export interface InsuredPersonRecord {
  nir: string;
  insOid: string;
  birthName: string;
  firstNames: string;
  usedName: string | null;
  sex: 'M' | 'F';
  birthDate: string; // yyyy-mm-dd
  birthPlace: string;
  cardHolderNir: string;
  vitaleSerial: string;
  vitaleType: 'photo' | 'sans_photo';
  email: string | null;
  mobile: string | null;
  address: { line: string; postalCode: string; city: string };
  treatingDoctorRpps: string | null;
}

type Row = DirectoryTables['insured_person'];

function toRecord(r: Selectable<Row>): InsuredPersonRecord {
  return {
    nir: r.nir,
    insOid: r.ins_oid,
    birthName: r.birth_name,
    firstNames: r.first_names,
    usedName: r.used_name,
    sex: r.sex,
    birthDate: r.birth_date,
    birthPlace: r.birth_place,
    cardHolderNir: r.card_holder_nir,
    vitaleSerial: r.vitale_serial,
    vitaleType: r.vitale_type,
    email: r.email,
    mobile: r.mobile,
    address: { line: r.address_line, postalCode: r.postal_code, city: r.city },
    treatingDoctorRpps: r.treating_doctor_rpps,
  };
}

export async function findInsuredPerson(database: Database, nir: string): Promise<InsuredPersonRecord | null> {
  const row = await database.db
    .withTables<DirectoryTables>()
    .selectFrom('insured_person')
    .selectAll()
    .where('nir', '=', nir)
    .executeTakeFirst();
  return row ? toRecord(row) : null;
}

/** The people covered by a Vitale card: its holder and the children on it. */
export async function listPersonsOnCard(database: Database, cardHolderNir: string): Promise<InsuredPersonRecord[]> {
  const rows = await database.db
    .withTables<DirectoryTables>()
    .selectFrom('insured_person')
    .selectAll()
    .where('card_holder_nir', '=', cardHolderNir)
    .orderBy('birth_date')
    .execute();
  return rows.map(toRecord);
}

/** What other modules may read of a health professional of the RPPS directory. */
export interface HealthProfessionalRecord {
  rpps: string;
  lastName: string;
  firstName: string;
  professionCode: string;
  specialtyCode: string | null;
  workplaceName: string;
}

const PROFESSIONAL_COLUMNS = ['rpps', 'last_name', 'first_name', 'profession_code', 'specialty_code', 'workplace_name'] as const;

function toProfessional(row: Pick<Selectable<DirectoryTables['health_professional']>, (typeof PROFESSIONAL_COLUMNS)[number]>): HealthProfessionalRecord {
  return {
    rpps: row.rpps,
    lastName: row.last_name,
    firstName: row.first_name,
    professionCode: row.profession_code,
    specialtyCode: row.specialty_code,
    workplaceName: row.workplace_name,
  };
}

export async function findProfessional(database: Database, rpps: string): Promise<HealthProfessionalRecord | null> {
  const row = await database.db
    .withTables<DirectoryTables>()
    .selectFrom('health_professional')
    .select(PROFESSIONAL_COLUMNS)
    .where('rpps', '=', rpps)
    .executeTakeFirst();
  return row ? toProfessional(row) : null;
}

const SEARCH_RESULTS = 20;

/** Professionals whose first or last name contains `q`, by last name (names in the RPPS directory are public). */
export async function searchProfessionals(database: Database, q: string): Promise<HealthProfessionalRecord[]> {
  // Wildcards typed by the user would widen the search beyond what they wrote.
  const pattern = `%${q.replace(/[%_\\]/g, '')}%`;
  const rows = await database.db
    .withTables<DirectoryTables>()
    .selectFrom('health_professional')
    .select(PROFESSIONAL_COLUMNS)
    .where((eb) => eb.or([eb('last_name', 'ilike', pattern), eb('first_name', 'ilike', pattern)]))
    .orderBy('last_name')
    .limit(SEARCH_RESULTS)
    .execute();
  return rows.map(toProfessional);
}
