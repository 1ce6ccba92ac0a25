/**
 * What the searches about one patient's DMP share (AuditEvent, Consent): the patient named by
 * `patient.identifier` (the INS, as ITI-67 names it) or by `patient` (a reference to the Patient
 * of ITI-78, whose id is the DMP's), the parameters refused by name, and the searchset links.
 */
import { findRecord, NO_MATCH, type RecordFacts } from '../../records';
import type { AppContext } from '../../platform';
import { AppError, badRequest, notFound } from '../../platform';
import { recordOfIdentifier } from './door';

const PATIENT_REFERENCE = /^(?:.*\/)?(?:Patient\/)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** A parameter this server does not implement is refused, rather than silently ignored (a wider answer than asked). */
export function refuseOtherParameters(query: Record<string, unknown>, accepted: readonly string[]): void {
  const others = Object.keys(query).filter((name) => !accepted.includes(name));
  if (others.length) throw new AppError(400, 'not-supported', 'Paramètre non pris en charge', `Ce serveur ne sait pas chercher avec : ${others.join(', ')}.`);
}

export async function patientOfSearch(ctx: AppContext, query: { 'patient.identifier'?: string | undefined; patient?: string | undefined }): Promise<RecordFacts> {
  const byIns = query['patient.identifier'];
  const byReference = query.patient;
  if (byIns !== undefined && byReference !== undefined) throw badRequest('Désignez le patient par patient.identifier (son INS) ou par patient (Patient/<id>), pas les deux.');
  if (byIns !== undefined) {
    if (!/^[^|]+\|[^|]+$/.test(byIns)) throw badRequest('Écrivez patient.identifier sous la forme urn:oid:<OID INS>|<matricule INS>.');
    return recordOfIdentifier(ctx, byIns);
  }
  if (byReference === undefined) {
    throw new AppError(400, 'invalid-request', 'Demande incorrecte', 'Désignez le patient : patient.identifier=urn:oid:<OID INS>|<matricule INS>, ou patient=Patient/<id>.', [
      { field: 'patient.identifier', message: 'Le paramètre patient.identifier (INS du patient) ou patient est obligatoire.' },
    ]);
  }
  const id = PATIENT_REFERENCE.exec(byReference.trim().toLowerCase())?.[1];
  if (!id) throw notFound(NO_MATCH);
  return findRecord(ctx, id).catch((error: unknown) => {
    throw error instanceof AppError && error.status === 404 ? notFound(NO_MATCH) : error;
  });
}

/** `self`, and `next` when there is more (FHIR R4 http.html#paging: the next link is the server's, opaque to clients). */
export function searchsetLinks(url: string, params: Record<string, unknown>, next: Record<string, string | number> | null) {
  const self = new URL(url);
  for (const [name, value] of Object.entries(params)) for (const v of [value ?? []].flat()) self.searchParams.append(name, String(v));
  const links = [{ relation: 'self', url: self.toString() }];
  if (next !== null) {
    const nextUrl = new URL(self);
    for (const [name, value] of Object.entries(next)) nextUrl.searchParams.set(name, String(value));
    links.push({ relation: 'next', url: nextUrl.toString() });
  }
  return links;
}

/**
 * A typed resource (@medplum/fhirtypes) as the route's response schema (door.ts fhirResource, a
 * loose object) declares it: FHIR interfaces have no index signature, the schema's type has one.
 */
export const asAnswer = <T extends { resourceType: string }>(resource: T) => resource as T & { [key: string]: unknown };
