/**
 * FHIR R4 shapes of the DMP's documents for IHE MHD (pure: no I/O). Only the parts this API
 * writes are typed here; no FHIR types package is installed in the project.
 */
import { categoryLabel, documentType, type DocumentCategory } from '../../documents';
import type { DocumentSummary } from '../../documents';
import type { AppError } from '../../platform';

export const FHIR_JSON = 'application/fhir+json';
export const FHIR_VERSION = '4.0.1';

const LOINC_OID = '2.16.840.1.113883.6.1';
/** OpenDMP's own patient-facing categories (src/documents/catalogue.ts). */
export const CATEGORY_SYSTEM = 'https://opendmp.fr/fhir/CodeSystem/categorie-document';
/** ANS nomenclature TRE_A07 (visibility of a DMP document): the XDS confidentiality codes 1.2.250.1.213.1.1.4.13 in FHIR. */
export const VISIBILITY_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument';
export const FORMAT_SYSTEM = 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode';
/** FHIR's attachment.hash is SHA-1; the DMP keeps SHA-256 (hex), given here instead. */
export const SHA256_EXTENSION = 'https://opendmp.fr/fhir/StructureDefinition/sha256';

export interface Coding {
  system?: string;
  code: string;
  display?: string;
}

// ---- Ids: the record (the shard key) and the document in one FHIR id ----

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const B36_UUID_LENGTH = 25; // 128 bits in base 36

function uuidToBase36(uuid: string): string {
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
 * both are written in base 36 (25 characters each), then the version. The record id in it
 * lets the server go straight to the record's shard.
 */
export function documentFhirId(key: DocumentKey): string {
  if (!UUID.test(key.recordId) || !UUID.test(key.documentId)) throw new Error('not a UUID');
  return `${uuidToBase36(key.recordId)}${uuidToBase36(key.documentId)}-${key.version}`;
}

export function parseDocumentFhirId(id: string): DocumentKey | null {
  const match = /^([0-9a-z]{25})([0-9a-z]{25})-([1-9]\d{0,8})$/.exec(id);
  if (!match) return null;
  const recordId = base36ToUuid(match[1]!);
  const documentId = base36ToUuid(match[2]!);
  return recordId && documentId ? { recordId, documentId, version: Number(match[3]) } : null;
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

const VISIBILITY = {
  masked: { code: 'MASQUE_PS', display: 'Masqué aux professionnels de santé' },
  hiddenFromPatient: { code: 'INVISIBLE_PATIENT', display: 'Non visible par le patient' },
  hiddenFromRepresentatives: { code: 'INVISIBLE_REPRESENTANTS_LEGAUX', display: 'Non visible par les représentants légaux' },
} as const;

export type VisibilityFlags = { masked: boolean; hiddenFromPatient: boolean; hiddenFromRepresentatives: boolean };

export function securityLabels(flags: VisibilityFlags): { coding: Coding[] }[] {
  return (Object.keys(VISIBILITY) as (keyof VisibilityFlags)[])
    .filter((flag) => flags[flag])
    .map((flag) => ({ coding: [{ system: VISIBILITY_SYSTEM, ...VISIBILITY[flag] }] }));
}

/** The flags a deposit's security labels ask for; a label of another system is not ours to read. */
export function flagsFromLabels(labels: { coding?: { system?: string | undefined; code?: string | undefined }[] | undefined }[]): Partial<VisibilityFlags> {
  const codes = new Set(labels.flatMap((l) => l.coding ?? []).filter((c) => c.system === VISIBILITY_SYSTEM).map((c) => c.code));
  const flags: Partial<VisibilityFlags> = {};
  for (const flag of Object.keys(VISIBILITY) as (keyof VisibilityFlags)[]) if (codes.has(VISIBILITY[flag].code)) flags[flag] = true;
  return flags;
}

// ---- Resources ----

export function insIdentifier(insOid: string, matricule: string) {
  return { system: `urn:oid:${insOid}`, value: matricule };
}

export function documentReference(d: DocumentSummary, recordId: string, ins: { oid: string; matricule: string }) {
  const id = documentFhirId({ recordId, documentId: d.documentId, version: d.version });
  const labels = securityLabels(d);
  return {
    resourceType: 'DocumentReference' as const,
    id,
    masterIdentifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${d.documentId}` },
    status: d.status === 'current' ? 'current' : d.status === 'replaced' ? 'superseded' : 'entered-in-error',
    type: { coding: [typeCoding(d.typeCode)] },
    category: [{ coding: [{ system: CATEGORY_SYSTEM, code: d.category, display: categoryLabel(d.category as DocumentCategory) }] }],
    subject: { identifier: insIdentifier(ins.oid, ins.matricule) },
    date: d.createdAt,
    author: [{ display: d.author.name }],
    description: d.title,
    ...(labels.length ? { securityLabel: labels } : {}),
    content: [
      {
        attachment: {
          contentType: d.mediaType,
          size: d.sizeBytes,
          url: `Binary/${id}`,
          title: d.title,
          creation: d.createdAt,
          extension: [{ url: SHA256_EXTENSION, valueString: d.sha256 }],
        },
        format: { system: FORMAT_SYSTEM, code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', display: 'mimeType Sufficient' },
      },
    ],
    context: { period: { start: d.careDate } },
  };
}

const ISSUE_CODE: Record<number, string> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'too-costly',
  415: 'not-supported',
  422: 'processing',
  429: 'throttled',
};

export function operationOutcome(error: Pick<AppError, 'status' | 'title' | 'detail' | 'errors'>, requestId?: string) {
  const code = ISSUE_CODE[error.status] ?? (error.status >= 500 ? 'exception' : 'invalid');
  const fields = error.errors ?? [];
  return {
    resourceType: 'OperationOutcome' as const,
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
        .map((f) => ({ severity: 'error', code, diagnostics: f.message, expression: [f.field] })),
    ],
  };
}
