/**
 * What every search answer shares (FHIR R4 http.html#search, bundle.html; MHD ITI-67/66
 * response, ITI TF-2x Appendix Z.1): a searchset Bundle with its total, absolute self / next /
 * previous links carrying the applied parameters, the matches, and the warnings as an
 * OperationOutcome entry (search mode `outcome`). The patient designated by the search, too.
 */
import type { Bundle, BundleEntry, BundleLink, Resource } from '@medplum/fhirtypes';
import type { FastifyRequest } from 'fastify';
import { findRecord, findRecordByIns, type RecordFacts } from '../../records';
import type { AppContext } from '../../platform';
import { AppError, badRequest } from '../../platform';
import { INS_SYSTEMS } from './door';
import type { PatientDesignation } from './document-search';
import { FHIR_JSON, patientFhirId, parsePatientFhirId, warningOutcome } from './resources';
import { SearchParams } from './search-params';

/** The search's parameters, from the query string and, for POST _search, the form body. */
export function searchParamsOf(request: FastifyRequest): SearchParams {
  const format = (request.query as Record<string, unknown>)['_format'];
  if (typeof format === 'string' && !['json', FHIR_JSON, 'application/json'].includes(format)) {
    throw new AppError(406, 'not-acceptable', 'Format non disponible', 'Ce serveur répond en JSON FHIR (_format=json).');
  }
  const prefer = request.headers.prefer;
  return SearchParams.of(request.query, request.method === 'POST' ? request.body : undefined, Array.isArray(prefer) ? prefer.join(',') : prefer);
}

/**
 * The record a search designates, or null when there is none: an INS without a DMP (or a Patient
 * id that is no record) is not an error of the search. MHD ITI-67 §2:3.67.4.2.2: "whether or not any
 * DocumentReference Resources are found, the HTTP status code shall be 200"; PDSm4DMP TD3.1a answers
 * 200 with 0..N entries and leaves the existence of the DMP to TD0.2 (ITI-78). So: an empty Bundle,
 * with a warning saying why. A system that is not an INS is a malformed request (400).
 */
export async function designatedRecord(ctx: AppContext, designation: PatientDesignation): Promise<RecordFacts | null> {
  let record: RecordFacts | null = null;
  if (designation.ins) {
    if (!INS_SYSTEMS.has(designation.ins.system)) throw badRequest('Le patient se désigne par son INS : urn:oid:1.2.250.1.213.1.4.8|<NIR> (ou l’OID du NIA).');
    const found = await findRecordByIns(ctx, designation.ins.value);
    record = found && `urn:oid:${found.insOid}` === designation.ins.system ? found : null;
    if (!record) return null;
  }
  if (designation.patientId !== undefined) {
    const recordId = designation.patientId === null ? null : parsePatientFhirId(designation.patientId);
    if (!recordId || (record && patientFhirId(record.recordId) !== recordId)) return null;
    record ??= await findRecord(ctx, recordId).catch((error: unknown) => {
      if (error instanceof AppError && error.status === 404) return null;
      throw error;
    });
  }
  return record;
}

export const NO_RECORD_WARNING = 'Aucun DMP ne correspond à ce patient : la recherche ne trouve donc rien (vérifiez l’INS, ou l’existence du DMP par ITI-78).';

export function searchset<T extends Resource>(options: {
  base: string;
  resourceType: string;
  params: SearchParams;
  total: number;
  offset: number;
  count: number;
  matches: T[];
  warnings: string[];
}): Bundle {
  const { base, resourceType, params, total, offset, count } = options;
  const link = (at: number): string => {
    const url = new URL(`${base}/${resourceType}`);
    for (const [key, value] of params.applied()) if (key !== '_offset' && key !== '_count') url.searchParams.append(key, value);
    url.searchParams.set('_count', String(count));
    if (at > 0) url.searchParams.set('_offset', String(at));
    return url.toString();
  };
  const links: BundleLink[] = [{ relation: 'self', url: link(offset) }];
  if (count > 0 && offset + count < total) links.push({ relation: 'next', url: link(offset + count) });
  if (count > 0 && offset > 0) links.push({ relation: 'previous', url: link(Math.max(0, offset - count)) });
  const entries: BundleEntry[] = options.matches.map((resource) => ({ fullUrl: `${base}/${resourceType}/${resource.id}`, resource, search: { mode: 'match' } }));
  for (const text of options.warnings) entries.push({ resource: warningOutcome(text), search: { mode: 'outcome' } });
  return { resourceType: 'Bundle', type: 'searchset', total, link: links, entry: entries };
}

/** The parameters this server left aside (lenient handling), said back as a warning. */
export function ignoredWarning(ignored: string[]): string[] {
  return ignored.length ? [`Paramètres ignorés (non pris en charge) : ${ignored.join(', ')}.`] : [];
}
