/**
 * FHIR R4 shapes of the DMP's documents for IHE MHD as the ANS profiles it (PDSm 3.x,
 * PDSm4DMP), typed with @medplum/fhirtypes (pure: no I/O).
 */
import type {
  CodeableConcept,
  Coding,
  DocumentReference,
  Identifier,
  List,
  OperationOutcome,
  OperationOutcomeIssue,
  Organization,
  Patient,
  Practitioner,
  PractitionerRole,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { categoryLabel, documentType, type DocumentCategory, type DocumentSummary, type SubmissionSetSummary } from '../../documents';
import { findSpecialty, PROFESSIONS } from '../../directory';
import type { AppError } from '../../platform';
import {
  AUTHOR_SPECIALTY_OID,
  CONFIDENTIALITY_SYSTEM,
  displayOf,
  FORMAT_SYSTEM,
  IDENTIFIER_TYPE_SYSTEM,
  IDNPS_SYSTEM,
  IDNST_SYSTEM,
  MIME_TYPE_SUFFICIENT,
  PROFESSION_SYSTEM,
  RPPS_SYSTEM,
  SPECIALTY_SYSTEM,
  storedCoding,
  VISIBILITY_SYSTEM,
} from './codings';

export const FHIR_JSON = 'application/fhir+json';
export const FHIR_VERSION = '4.0.1';

/** The profiles of the returned resources (PDSm 3.1.1, canonical https://interop.esante.gouv.fr/ig/fhir/pdsm). */
export const PDSM_DOCUMENT_REFERENCE = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-comprehensive-document-reference';
export const PDSM_SUBMISSION_SET = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-submissionset-comprehensive';
/** IHE MHD 4.2 code systems and extensions. */
export const MHD_LIST_TYPES = 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes';
const MHD_IDENTIFIER_TYPE = 'https://profiles.ihe.net/ITI/MHD/CodeSystem/IHE.MHD.MHDIdentifierType';
const MHD_DESIGNATION_TYPE = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-designationType';
const MHD_SOURCE_ID = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId';
const RFC3986 = 'urn:ietf:rfc:3986';

const LOINC_OID = '2.16.840.1.113883.6.1';
/** OpenDMP's own patient-facing categories (shared/catalogue.ts), beside the XDS class code. */
export const CATEGORY_SYSTEM = 'https://opendmp.fr/fhir/CodeSystem/categorie-document';
export { CLASS_SYSTEM, FORMAT_SYSTEM, MIME_TYPE_SUFFICIENT, VISIBILITY_SYSTEM } from './codings';

// ---- Ids: the record (the shard key) in every id, so that a read goes straight to its shard ----

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const B36_UUID_LENGTH = 25; // 128 bits in base 36

function uuidToBase36(uuid: string): string {
  if (!UUID.test(uuid)) throw new Error('not a UUID');
  return BigInt('0x' + uuid.replaceAll('-', '')).toString(36).padStart(B36_UUID_LENGTH, '0');
}

function base36ToUuid(text: string): string | null {
  let n = 0n;
  for (const ch of text) {
    const digit = parseInt(ch, 36);
    if (Number.isNaN(digit)) return null;
    n = n * 36n + BigInt(digit);
  }
  if (n >= 1n << 128n) return null;
  const hex = n.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface DocumentKey {
  recordId: string;
  documentId: string;
  version: number;
}

/**
 * A FHIR id is at most 64 characters of [A-Za-z0-9-.]: two UUIDs do not fit as such, so
 * both are written in base 36 (25 characters each), then the version.
 */
export function documentFhirId(key: DocumentKey): string {
  return `${uuidToBase36(key.recordId)}${uuidToBase36(key.documentId)}-${key.version}`;
}

export function parseDocumentFhirId(id: string): DocumentKey | null {
  const match = /^([0-9a-z]{25})([0-9a-z]{25})-([1-9]\d{0,8})$/.exec(id);
  if (!match) return null;
  const recordId = base36ToUuid(match[1]!);
  const documentId = base36ToUuid(match[2]!);
  return recordId && documentId ? { recordId, documentId, version: Number(match[3]) } : null;
}

/** A submission set (FHIR List) as the record and the set, 50 characters. */
export function submissionSetFhirId(recordId: string, submissionSetId: string): string {
  return `${uuidToBase36(recordId)}${uuidToBase36(submissionSetId)}`;
}

export function parseSubmissionSetFhirId(id: string): { recordId: string; submissionSetId: string } | null {
  const match = /^([0-9a-z]{25})([0-9a-z]{25})$/.exec(id);
  if (!match) return null;
  const recordId = base36ToUuid(match[1]!);
  const submissionSetId = base36ToUuid(match[2]!);
  return recordId && submissionSetId ? { recordId, submissionSetId } : null;
}

/**
 * The patient of a record, as a FHIR Patient id: the record id itself (a UUID is a valid FHIR id).
 * The one place that says so: ITI-67's `patient=Patient/<id>` and PDQm's Patient both use it.
 */
export function patientFhirId(recordId: string): string {
  if (!UUID.test(recordId)) throw new Error('not a UUID');
  return recordId;
}

export function parsePatientFhirId(id: string): string | null {
  const value = id.trim().toLowerCase();
  return UUID.test(value) ? value : null;
}

// ---- Codings ----

export function typeCoding(code: string): Coding {
  const type = documentType(code);
  if (!type) return { code };
  const system = type.codeSystem === LOINC_OID ? 'http://loinc.org' : `urn:oid:${type.codeSystem}`;
  return { system, code: type.code, display: type.displayName };
}

/** The catalogue's type for a coding sent by software (LOINC by its URL or its OID, others by OID). */
export function typeFromCoding(coding: { system?: string | undefined; code?: string | undefined }): string | null {
  if (!coding.code) return null;
  const oid = coding.system === 'http://loinc.org' ? LOINC_OID : coding.system?.startsWith('urn:oid:') ? coding.system.slice(8) : undefined;
  if (coding.system !== undefined && oid === undefined) return null;
  return documentType(coding.code, oid)?.code ?? null;
}

/** The DMP's visibility labels (JDV_J08, code system TRE_A07), with the value set's texts. */
const VISIBILITY = {
  masked: 'MASQUE_PS',
  hiddenFromPatient: 'INVISIBLE_PATIENT',
  hiddenFromRepresentatives: 'INVISIBLE_REPRESENTANTS_LEGAUX',
} as const;
export const VISIBILITY_CODES: Readonly<Record<string, keyof VisibilityFlags>> = Object.fromEntries(
  Object.entries(VISIBILITY).map(([flag, code]) => [code, flag as keyof VisibilityFlags]),
);

export type VisibilityFlags = { masked: boolean; hiddenFromPatient: boolean; hiddenFromRepresentatives: boolean };

const labelCoding = (system: string, code: string): Coding => {
  const display = displayOf('confidentiality', system, code);
  return { system, code, ...(display ? { display } : {}) };
};

/** The document's security labels: its confidentiality (N, R, V) when known, then the DMP's labels it carries. */
export function securityLabels(flags: VisibilityFlags & { confidentiality?: string }): CodeableConcept[] {
  const labels = (Object.keys(VISIBILITY) as (keyof VisibilityFlags)[]).filter((flag) => flags[flag]).map((flag) => ({ coding: [labelCoding(VISIBILITY_SYSTEM, VISIBILITY[flag])] }));
  return flags.confidentiality ? [{ coding: [labelCoding(CONFIDENTIALITY_SYSTEM, flags.confidentiality)] }, ...labels] : labels;
}

/** The flags a deposit's security labels ask for; a label of another system is not ours to read. */
export function flagsFromLabels(labels: { coding?: { system?: string | undefined; code?: string | undefined }[] | undefined }[]): Partial<VisibilityFlags> {
  const codes = new Set(labels.flatMap((l) => l.coding ?? []).filter((c) => c.system === VISIBILITY_SYSTEM).map((c) => c.code));
  const flags: Partial<VisibilityFlags> = {};
  for (const flag of Object.keys(VISIBILITY) as (keyof VisibilityFlags)[]) if (codes.has(VISIBILITY[flag])) flags[flag] = true;
  return flags;
}

// ---- Resources ----

export function insIdentifier(insOid: string, matricule: string): Identifier {
  return { system: `urn:oid:${insOid}`, value: matricule };
}

export interface PatientOfRecord {
  recordId: string;
  insOid: string;
  insMatricule: string;
}

const patientReference = (p: PatientOfRecord): Reference<Patient> => ({ reference: `Patient/${patientFhirId(p.recordId)}`, identifier: insIdentifier(p.insOid, p.insMatricule) });

/**
 * The author as PDSm describes a professional (AsPractitionerRole, annuaire santé): the person
 * identified by IdNatPs ("8" + RPPS) and RPPS, the role with the profession (TRE_G15) and the
 * specialty (TRE_R38, or JDV_J01 for other qualifications), the workplace by IdNatStruct ("1" + FINESS).
 */
function professionalAuthor(d: DocumentSummary): Resource[] {
  const who = d.sharing.author;
  const rpps = /^\d{11}$/.test(d.author.id) ? d.author.id : null;
  const practitioner: Practitioner = {
    resourceType: 'Practitioner',
    id: 'author-person',
    ...(rpps
      ? {
          identifier: [
            { use: 'official', type: { coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: 'IDNPS' }] }, system: IDNPS_SYSTEM, value: `8${rpps}` },
            { use: 'official', type: { coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: 'RPPS' }] }, system: RPPS_SYSTEM, value: rpps },
          ],
        }
      : {}),
    name: [{ text: d.author.name, ...(who.family ? { family: who.family } : {}), ...(who.given ? { given: [who.given] } : {}) }],
  };
  const profession = who.profession ? professionCoding(who.profession) : null;
  const specialty = who.profession && who.specialty ? specialtyCoding(who.profession, who.specialty) : null;
  const organization: Organization | null = who.organization
    ? {
        resourceType: 'Organization',
        id: 'author-organization',
        ...(who.organization.id
          ? { identifier: [{ use: 'official', type: { coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: 'IDNST' }] }, system: IDNST_SYSTEM, value: `1${who.organization.id}` }] }
          : {}),
        name: who.organization.name,
      }
    : null;
  const role: PractitionerRole = {
    resourceType: 'PractitionerRole',
    id: 'author',
    ...(rpps ? { identifier: [{ system: IDNPS_SYSTEM, value: `8${rpps}` }] } : {}),
    practitioner: { reference: '#author-person' },
    ...(organization ? { organization: { reference: '#author-organization' } } : {}),
    ...(profession ? { code: [{ coding: [profession] }] } : {}),
    ...(specialty ? { specialty: [{ coding: [specialty] }] } : {}),
  };
  return [role, practitioner, ...(organization ? [organization] : [])];
}

function professionCoding(profession: string): Coding {
  const code = /^G15_(\w+)$/.exec(profession)?.[1];
  const display = PROFESSIONS[profession];
  return code ? { system: PROFESSION_SYSTEM, code, ...(display ? { display } : {}) } : { system: `urn:oid:${AUTHOR_SPECIALTY_OID}`, code: profession };
}

function specialtyCoding(profession: string, specialty: string): Coding {
  const display = findSpecialty(profession, specialty)?.displayName;
  return /^SM\d+$/.test(specialty)
    ? { system: SPECIALTY_SYSTEM, code: specialty, ...(display ? { display } : {}) }
    : { system: `urn:oid:${AUTHOR_SPECIALTY_OID}`, code: `${profession}/${specialty}`, ...(display ? { display } : {}) };
}

/** The author, contained (MHD Comprehensive: author and authenticator are contained resources). */
function authorOf(d: DocumentSummary): { contained: Resource[]; author: Reference<PractitionerRole | Patient> } {
  switch (d.author.kind) {
    case 'professional':
      return { contained: professionalAuthor(d), author: { reference: '#author' } };
    case 'patient':
      // The patient's own documents (personal space): PDSm lets the patient be the author.
      return { contained: [], author: { reference: '#patient', display: d.author.name } };
    default:
      // A legal representative, a caregiver, the insurance feed: named only (no PDSm resource fits them).
      return { contained: [], author: { display: d.author.name } };
  }
}

/** The DMP keeps the document: PDSm's custodian (the organisation responsible for keeping and giving access). */
const CUSTODIAN: Organization = { resourceType: 'Organization', id: 'custodian', name: 'Dossier Médical Partagé (OpenDMP)' };

/** When a row has no uniqueId (written before it was kept, and not backfilled): one derived from the version, stable. */
function fallbackUniqueId(d: DocumentSummary): string {
  const hex = BigInt('0x' + d.documentId.replaceAll('-', '')) ^ BigInt(d.version);
  const h = hex.toString(16).padStart(32, '0');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * One document version as a PDSm_ComprehensiveDocumentReference (PDSm 3.1.1, built on MHD 4.2
 * Comprehensive DocumentReference; MHD ITI-67 §2:3.67.4.2.2.1). `base` is the absolute FHIR base
 * (MHD §2:3.67.4.2.2.1.1: attachment.url is a full URL for ITI-68).
 */
const claimsPdsm = (d: DocumentSummary) => Boolean(d.sharing.classCode && d.sharing.facilityType && d.sharing.practiceSetting);

export function documentReference(d: DocumentSummary, patient: PatientOfRecord, base: string): DocumentReference {
  const id = documentFhirId({ recordId: patient.recordId, documentId: d.documentId, version: d.version });
  const uniqueId = d.sharing.uniqueId ?? fallbackUniqueId(d);
  const { contained, author } = authorOf(d);
  const sourcePatient: Patient = { resourceType: 'Patient', id: 'patient', identifier: [insIdentifier(patient.insOid, patient.insMatricule)] };
  const uniqueIdType = { coding: [{ system: MHD_IDENTIFIER_TYPE, code: 'uniqueId' }] };
  const sharing = d.sharing;
  return {
    resourceType: 'DocumentReference',
    id,
    // versionId: this version's metadata, from 1, one more at each change (status, labels): PDSm meta.versionId.
    // The PDSm profile is claimed only by a document that has what it requires (class code, facility
    // type, practice setting): one deposited from our own screens, without them, would not conform.
    meta: { versionId: String(d.metaVersion), ...(claimsPdsm(d) ? { profile: [PDSM_DOCUMENT_REFERENCE] } : {}) },
    contained: [...contained, CUSTODIAN, sourcePatient],
    masterIdentifier: { type: uniqueIdType, system: RFC3986, value: uniqueId },
    identifier: [{ use: 'usual', type: uniqueIdType, system: RFC3986, value: uniqueId }],
    status: d.status === 'current' ? 'current' : d.status === 'replaced' ? 'superseded' : 'entered-in-error',
    type: { coding: [typeCoding(d.typeCode)] },
    // One category (MHD Comprehensive: 1..1): the XDS class code (TRE_A03) as sent, and beside it,
    // as another coding of the same concept, the patient-facing category of OpenDMP.
    category: [
      {
        coding: [
          ...(sharing.classCode ? [storedCoding(sharing.classCode)] : []),
          { system: CATEGORY_SYSTEM, code: d.category, display: categoryLabel(d.category as DocumentCategory) },
        ],
      },
    ],
    subject: patientReference(patient),
    date: d.createdAt,
    author: [author],
    custodian: { reference: '#custodian' },
    // MHD §2:3.67.4.2.2.1.4: an XDS association (RPLC) as relatesTo; a version replaces the one before it.
    ...(d.version > 1
      ? { relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${documentFhirId({ recordId: patient.recordId, documentId: d.documentId, version: d.version - 1 })}` } }] }
      : {}),
    description: d.title,
    securityLabel: securityLabels({ ...d, confidentiality: sharing.confidentiality }),
    content: [
      {
        attachment: {
          contentType: d.mediaType,
          // PDSm: "fr-FR" for every document of French systems; what the sender said when it did.
          language: sharing.language ?? 'fr-FR',
          url: `${base}/Binary/${id}`,
          size: d.sizeBytes,
          ...(sharing.sha1 ? { hash: Buffer.from(sharing.sha1, 'hex').toString('base64') } : {}),
          title: d.title,
          // XDS creationTime as the software sent it; the registration time for a document that
          // came without one (our own screens, rows written before migration 0020).
          creation: sharing.authoredAt ?? d.createdAt,
        },
        format: { system: FORMAT_SYSTEM, code: MIME_TYPE_SUFFICIENT, display: 'mimeType Sufficient' },
      },
    ],
    context: {
      ...(sharing.eventCodes.length ? { event: sharing.eventCodes.map((c) => ({ coding: [storedCoding(c)] })) } : {}),
      // XDS serviceStartTime / serviceStopTime as sent; else the date of care alone.
      period: { start: sharing.serviceStart ?? d.careDate, ...(sharing.serviceEnd ? { end: sharing.serviceEnd } : {}) },
      ...(sharing.facilityType ? { facilityType: { coding: [storedCoding(sharing.facilityType, 'facilityType')] } } : {}),
      ...(sharing.practiceSetting ? { practiceSetting: { coding: [storedCoding(sharing.practiceSetting, 'practiceSetting')] } } : {}),
      sourcePatientInfo: { reference: '#patient' },
    },
  };
}

/**
 * A submission set as a PDSm_SubmissionSetComprehensive List (PDSm 3.1.1 on MHD 4.2 Comprehensive
 * SubmissionSet; ITI-66 §2:3.66.4.2), its entries the documents the reader may see.
 */
export function submissionSetList(set: SubmissionSetSummary, patient: PatientOfRecord): List {
  const author: PractitionerRole = {
    resourceType: 'PractitionerRole',
    id: 'source',
    ...(/^\d{11}$/.test(set.author.id) ? { identifier: [{ system: IDNPS_SYSTEM, value: `8${set.author.id}` }] } : {}),
    practitioner: { display: set.author.name },
  };
  return {
    resourceType: 'List',
    id: submissionSetFhirId(patient.recordId, set.submissionSetId),
    meta: { profile: [PDSM_SUBMISSION_SET] },
    contained: [author],
    extension: [
      ...(set.contentType ? [{ url: MHD_DESIGNATION_TYPE, valueCodeableConcept: { coding: [storedCoding(set.contentType)] } }] : []),
      ...(set.sourceId ? [{ url: MHD_SOURCE_ID, valueIdentifier: { value: set.sourceId } }] : []),
    ],
    identifier: [
      { use: 'usual', type: { coding: [{ system: MHD_IDENTIFIER_TYPE, code: 'uniqueId' }] }, system: RFC3986, value: set.uniqueId },
      { use: 'official', type: { coding: [{ system: MHD_IDENTIFIER_TYPE, code: 'entryUUID' }] }, system: RFC3986, value: `urn:uuid:${set.submissionSetId}` },
    ],
    status: 'current',
    mode: 'working',
    ...(set.title ? { title: set.title } : {}),
    code: { coding: [{ system: MHD_LIST_TYPES, code: 'submissionset', display: 'SubmissionSet as a FHIR List' }] },
    subject: patientReference(patient),
    date: set.createdAt,
    source: { reference: '#source' },
    entry: set.documents.map((d) => ({ item: { reference: `DocumentReference/${documentFhirId({ recordId: patient.recordId, documentId: d.documentId, version: d.version })}` } })),
  };
}

const ISSUE_CODE: Record<number, OperationOutcomeIssue['code']> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  406: 'not-supported',
  409: 'conflict',
  410: 'deleted',
  413: 'too-costly',
  415: 'not-supported',
  422: 'processing',
  429: 'throttled',
};

export function operationOutcome(error: Pick<AppError, 'status' | 'title' | 'detail' | 'errors'>, requestId?: string): OperationOutcome {
  const code = ISSUE_CODE[error.status] ?? (error.status >= 500 ? 'exception' : 'invalid');
  const fields = error.errors ?? [];
  return {
    resourceType: 'OperationOutcome',
    ...(requestId ? { id: requestId } : {}),
    issue: [
      {
        severity: 'error',
        code,
        details: { text: error.title },
        diagnostics: error.detail ?? error.title,
        ...(fields.length ? { expression: fields.map((f) => f.field) } : {}),
      },
      ...fields
        .filter((f) => f.message !== error.detail)
        .map((f): OperationOutcomeIssue => ({ severity: 'error', code, diagnostics: f.message, expression: [f.field] })),
    ],
  };
}

/** A warning carried in a searchset (MHD ITI-67 §2:3.67.4.2.2: warnings travel as an OperationOutcome entry). */
export function warningOutcome(text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'not-found', diagnostics: text }] };
}
