/**
 * The search parameters of IHE MHD ITI-67 Find Document References (MHD 4.2
 * §2:3.67.4.1.2.1, the Document Responder "shall be capable of processing" each) and of
 * PDSm4DMP TD3.1a / TD3.1b, turned into the documents module's criteria (pure).
 * Token parameters take comma OR-lists; a repeated parameter ANDs (FHIR search.html#combining).
 * A code of a system we know under two names (URL and OID) is looked for under both.
 */
import { DOCUMENT_CATEGORY_IDS } from '../../../shared/catalogue';
import type { CodeMatch, DocumentFormat, DocumentLabel, DocumentSearch } from '../../documents';
import type { Confidentiality } from '../../documents';
import { badRequest } from '../../platform';
import { CONFIDENTIALITY_SYSTEM, FORMAT_SYSTEM, MIME_TYPE_SUFFICIENT, systemNames, VISIBILITY_SYSTEM, withSystemNames } from './codings';
import { CATEGORY_SYSTEM, parseDocumentFhirId, typeFromCoding, VISIBILITY_CODES } from './resources';
import { dateCriterion, names, orList, referenceId, STRING_MODIFIERS, tokens, type SearchParams } from './search-params';

/** Every DocumentReference search parameter this server applies (the CapabilityStatement lists these). */
export const DOCUMENT_SEARCH_PARAMS = [
  'patient',
  'patient.identifier',
  'status',
  'identifier',
  '_id',
  'date',
  'creation',
  'author.given',
  'author.family',
  'category',
  'type',
  'setting',
  'period',
  'facility',
  'event',
  'security-label',
  'format',
  'related',
  'relatesto',
] as const;

const FORMATS: DocumentFormat[] = ['pdf', 'cda', 'text', 'jpeg', 'png'];
const CONFIDENTIALITY = new Set<string>(['N', 'R', 'V']);
const CATEGORY_IDS = new Set<string>(DOCUMENT_CATEGORY_IDS);
const RFC3986 = 'urn:ietf:rfc:3986';

/** How the search names its patient: an INS (patient.identifier) or our Patient id (patient). */
export interface PatientDesignation {
  ins?: { system: string; value: string };
  patientId?: string | null;
}

/** `patient.identifier` and `patient` (MHD: one of them is required), each for one patient. */
export function patientDesignation(params: SearchParams, resource: string): PatientDesignation {
  const byIns = params.take('patient.identifier');
  const byId = params.take('patient');
  if (!byIns.length && !byId.length) {
    throw badRequest(`La recherche de ${resource} désigne le patient : patient.identifier=urn:oid:1.2.250.1.213.1.4.8|<INS> (ou patient=Patient/<id>).`);
  }
  const one = (values: { value: string }[], name: string) => {
    const all = values.flatMap((v) => orList(v.value));
    if (new Set(all).size > 1) throw badRequest(`Une recherche porte sur un seul patient (paramètre ${name}).`);
    return all[0];
  };
  const out: PatientDesignation = {};
  const ins = one(byIns, 'patient.identifier');
  if (ins !== undefined) {
    const [system, value] = ins.split('|');
    if (value === undefined || !system || !value) throw badRequest('Écrivez patient.identifier sous la forme urn:oid:<OID INS>|<matricule INS>.');
    out.ins = { system, value: value.trim().toUpperCase() };
  }
  const id = one(byId, 'patient');
  if (id !== undefined) out.patientId = referenceId(id, 'Patient');
  return out;
}

const codeLists = (params: SearchParams, name: string) => params.take(name).map((o) => tokens(o.value).flatMap(withSystemNames));
const inSystem = (m: CodeMatch, system: string) => m.system === undefined || systemNames(system).includes(m.system);

/** The ids of this record's document versions among FHIR ids (another record's id matches nothing here). */
function versionsOf(ids: (string | null)[], recordId: string) {
  return ids.map((id) => (id ? parseDocumentFhirId(id) : null)).filter((k) => k !== null && k.recordId === recordId).map((k) => ({ documentId: k!.documentId, version: k!.version }));
}

export function documentSearch(params: SearchParams, recordId: string, now: Date): DocumentSearch {
  const search: DocumentSearch = {};
  // status: current / superseded (MHD Table 2:3.67.4.1.3.1-2); a deleted document (entered-in-error) is never listed. None given: both.
  const statuses = params.take('status');
  search.statuses = ['current', 'replaced'];
  for (const o of statuses) {
    const asked = new Set(tokens(o.value).map((t) => t.code));
    search.statuses = search.statuses.filter((s) => asked.has(s === 'replaced' ? 'superseded' : s));
  }

  const identifiers: NonNullable<DocumentSearch['identifiers']> = [];
  // identifier: masterIdentifier (the uniqueId) or the DocumentReference itself (its id), PDSm4DMP TD3.1b.
  for (const o of params.take('identifier')) {
    const asked = tokens(o.value).filter((t) => t.code !== undefined && (t.system === undefined || t.system === RFC3986)).map((t) => t.code!);
    identifiers.push({ uniqueIds: asked, versions: versionsOf(asked.map((v) => referenceId(v, 'DocumentReference')), recordId) });
  }
  for (const o of params.take('_id')) identifiers.push({ uniqueIds: [], versions: versionsOf(orList(o.value), recordId) });
  // related / relatesto: the documents whose relatesTo (replaces) points at this version, i.e. the next version.
  // The DMP keeps no XDS referenceIdList (context.related): the association it keeps is the replacement.
  for (const name of ['related', 'relatesto']) {
    for (const o of params.take(name)) {
      const replaced = versionsOf(orList(o.value).map((v) => referenceId(v, 'DocumentReference')), recordId);
      identifiers.push({ uniqueIds: [], versions: replaced.map((v) => ({ documentId: v.documentId, version: v.version + 1 })) });
    }
  }
  if (identifiers.length) search.identifiers = identifiers;

  const registered = [...params.take('date'), ...params.take('creation')].map((o) => dateCriterion(o.value, 'date', now));
  if (registered.length) search.registered = registered;
  const careDates = params.take('period').map((o) => dateCriterion(o.value, 'period', now));
  if (careDates.length) search.careDates = careDates;

  const given = params.take('author.given', STRING_MODIFIERS).map(names);
  if (given.length) search.authorGiven = given;
  const family = params.take('author.family', STRING_MODIFIERS).map(names);
  if (family.length) search.authorFamily = family;

  // category: the XDS class code (TRE_A03, by its URL or its OID) or OpenDMP's own category.
  const classifications = params.take('category').map((o) => {
    const asked = tokens(o.value);
    return {
      categories: asked.filter((t) => t.code !== undefined && CATEGORY_IDS.has(t.code) && inSystem(t, CATEGORY_SYSTEM)).map((t) => t.code!),
      classCodes: asked.filter((t) => t.system !== CATEGORY_SYSTEM).flatMap(withSystemNames),
    };
  });
  if (classifications.length) search.classifications = classifications;

  const types = params.take('type').map((o) => tokens(o.value).map((t) => typeFromCoding(t)).filter((c): c is string => c !== null));
  if (types.length) search.typeCodes = types;

  const facility = codeLists(params, 'facility');
  if (facility.length) search.facilityTypes = facility;
  const setting = codeLists(params, 'setting');
  if (setting.length) search.practiceSettings = setting;
  const event = codeLists(params, 'event');
  if (event.length) search.eventCodes = event;

  // security-label: the confidentiality code (N, R, V) or the DMP's visibility labels (JDV_J08).
  const labels = params.take('security-label').map((o) => {
    const asked = tokens(o.value);
    return {
      confidentiality: asked.filter((t) => t.code && CONFIDENTIALITY.has(t.code) && inSystem(t, CONFIDENTIALITY_SYSTEM)).map((t) => t.code as Confidentiality),
      labels: asked.filter((t) => t.code && VISIBILITY_CODES[t.code] && inSystem(t, VISIBILITY_SYSTEM)).map((t) => VISIBILITY_CODES[t.code!] as DocumentLabel),
    };
  });
  if (labels.length) search.securityLabels = labels;

  // format: every document is served as its own media type (mimeTypeSufficient); another format code matches none.
  const formats = params.take('format').map((o) => (tokens(o.value).some((t) => t.code === MIME_TYPE_SUFFICIENT && inSystem(t, FORMAT_SYSTEM)) ? FORMATS : []));
  if (formats.length) search.formats = formats;

  const sort = sortKeys(params);
  if (sort.length) search.sort = sort;
  return search;
}

/** `_sort`: date and creation (when registered), period (the date of care); `-` for newest first. */
function sortKeys(params: SearchParams): NonNullable<DocumentSearch['sort']> {
  const raw = params.single('_sort');
  if (raw === undefined) return [];
  const keys: NonNullable<DocumentSearch['sort']> = [];
  for (const key of orList(raw)) {
    const descending = key.startsWith('-');
    const name = descending ? key.slice(1) : key;
    if (name === 'date' || name === 'creation') keys.push({ by: 'registered', descending });
    else if (name === 'period') keys.push({ by: 'careDate', descending });
    else if (params.strict) throw badRequest(`Ce serveur ne sait pas trier selon « ${name} » (date, creation ou period).`);
  }
  if (!keys.length) params.release('_sort');
  return keys;
}
