/**
 * A professional finds a patient's DMP by INS only, with the identity traits to confirm it is
 * the right person (as the INS rules require before filing anything under an INS). No search by
 * name. Every miss gets the same answer, so that the lookup tells nothing about who exists.
 */
import { findRecordByIns } from './records';
import type { AppContext } from '../platform';
import { findInsuredPerson } from '../directory';

export interface PatientQuery {
  /** The INS matricule, already checked (15 characters, right key). */
  ins: string;
  birthName: string;
  /** The first of the first names, or all of them. */
  firstName: string;
  /** yyyy-mm-dd */
  birthDate: string;
}

export interface FoundPatient {
  recordId: string;
  patient: { birthName: string; firstNames: string; birthDate: string; sex: 'M' | 'F' };
  recordStatus: 'active' | 'closed';
}

export const NO_MATCH = 'Aucun DMP ne correspond à cette identité.';

export async function findPatientByIns(ctx: AppContext, query: PatientQuery): Promise<FoundPatient | null> {
  const person = await findInsuredPerson(ctx, query.ins);
  if (!person || !identityMatches(person, query)) return null;
  const record = await findRecordByIns(ctx, query.ins);
  if (!record) return null;
  return {
    recordId: record.recordId,
    patient: { birthName: person.birthName, firstNames: person.firstNames, birthDate: person.birthDate, sex: person.sex },
    recordStatus: record.status,
  };
}

/**
 * Pure: whether the typed traits are those of the person. Names compare without accents, case,
 * or the difference between a hyphen, an apostrophe and a space (« Pat-Trois » is « PAT TROIS »);
 * the first name is the first of the first names (« Dominique ») or all of them.
 */
export function identityMatches(
  person: { birthName: string; firstNames: string; birthDate: string },
  query: Pick<PatientQuery, 'birthName' | 'firstName' | 'birthDate'>,
): boolean {
  const firstNames = person.firstNames.trim().split(/\s+/);
  const typedFirstName = comparable(query.firstName);
  return (
    comparable(person.birthName) === comparable(query.birthName) &&
    typedFirstName !== '' &&
    (typedFirstName === comparable(firstNames[0] ?? '') || typedFirstName === comparable(person.firstNames)) &&
    person.birthDate === query.birthDate
  );
}

function comparable(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[-'’\s]+/g, ' ')
    .trim();
}
