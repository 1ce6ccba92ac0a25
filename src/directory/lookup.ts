import type { Selectable } from 'kysely';
import type { AppContext, Database } from '../platform';
import { identitySeal, nirIndex } from '../platform';
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

/** Who may read the insured-persons directory: its database and the master key its rows are sealed under. */
export type DirectoryReader = Pick<AppContext, 'database' | 'masterKey'>;

const place = (index: Buffer) => `insured_person:${index.toString('hex')}:personal`;

/** The row a person is stored as: the blind indexes lookups go by, and the rest sealed. */
export function sealInsuredPerson(masterKey: Buffer, person: InsuredPersonRecord) {
  const index = nirIndex(masterKey, person.nir);
  return { nir_index: index, card_holder_index: nirIndex(masterKey, person.cardHolderNir), personal: identitySeal(masterKey).seal(place(index), person) };
}

function openRow(masterKey: Buffer, row: { nir_index: Uint8Array; personal: Uint8Array }): InsuredPersonRecord {
  return identitySeal(masterKey).open<InsuredPersonRecord>(place(Buffer.from(row.nir_index)), row.personal);
}

export async function findInsuredPerson(ctx: DirectoryReader, nir: string): Promise<InsuredPersonRecord | null> {
  const row = await ctx.database.db
    .withTables<DirectoryTables>()
    .selectFrom('insured_person')
    .select(['nir_index', 'personal'])
    .where('nir_index', '=', nirIndex(ctx.masterKey, nir))
    .executeTakeFirst();
  return row ? openRow(ctx.masterKey, row) : null;
}

/** The people covered by a Vitale card: its holder and the children on it, eldest first. */
export async function listPersonsOnCard(ctx: DirectoryReader, cardHolderNir: string): Promise<InsuredPersonRecord[]> {
  const rows = await ctx.database.db
    .withTables<DirectoryTables>()
    .selectFrom('insured_person')
    .select(['nir_index', 'personal'])
    .where('card_holder_index', '=', nirIndex(ctx.masterKey, cardHolderNir))
    .execute();
  // A card holds a family: sorted once opened, the birth date being sealed.
  return rows.map((r) => openRow(ctx.masterKey, r)).sort((a, b) => a.birthDate.localeCompare(b.birthDate));
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
