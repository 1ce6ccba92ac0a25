import type { Database } from '../platform';
import type { DirectoryTables } from './tables';

/**
 * Reads of the professionals directory (table health_professional, owned by src/directory).
 */

/** A row of our professionals directory, as sign-in and the development provider read it. */
export interface DirectoryProfessional {
  rpps: string;
  firstName: string;
  lastName: string;
  professionCode: string;
  specialtyCode: string | null;
  role: string | null;
  workplaceName: string;
  workplaceFiness: string | null;
}

const COLUMNS = [
  'rpps',
  'first_name',
  'last_name',
  'profession_code',
  'specialty_code',
  'role',
  'workplace_name',
  'workplace_finess',
] as const;

type Row = Pick<DirectoryTables['health_professional'], (typeof COLUMNS)[number]>;

const professionals = (database: Database) => database.db.withTables<DirectoryTables>().selectFrom('health_professional');

export async function findDirectoryProfessional(database: Database, rpps: string): Promise<DirectoryProfessional | null> {
  const row = await professionals(database).select(COLUMNS).where('rpps', '=', rpps).executeTakeFirst();
  return row ? toProfessionalRow(row) : null;
}

/** The first professionals by name: the development provider's chooser (dev-provider.ts). */
export async function listDirectoryProfessionals(database: Database, limit: number): Promise<DirectoryProfessional[]> {
  const rows = await professionals(database).select(COLUMNS).orderBy('last_name').orderBy('first_name').limit(limit).execute();
  return rows.map(toProfessionalRow);
}

function toProfessionalRow(row: Row): DirectoryProfessional {
  return {
    rpps: row.rpps,
    firstName: row.first_name,
    lastName: row.last_name,
    professionCode: row.profession_code,
    specialtyCode: row.specialty_code,
    role: row.role,
    workplaceName: row.workplace_name,
    workplaceFiness: row.workplace_finess,
  };
}
