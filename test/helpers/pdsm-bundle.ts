/**
 * ITI-65 Provide Document Bundles as PDSm (PDSm_ComprehensiveProvideDocumentBundle) and the
 * PDSm4DMP examples (TD2, TD2.1) write them: a SubmissionSet List, DocumentReferences with their
 * contained author and source patient, their Binaries and, for a replacement, the PATCH that
 * supersedes the replaced one. Every element the profiles require is there; a test takes one
 * away or changes it to see the refusal.
 */
import { createHash, randomUUID } from 'node:crypto';

export const TRE_A03 = 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument';
export const TRE_A07 = 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument';
export const V3_CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
export const SNOMED = 'http://snomed.info/sct';
export const CCAM = 'urn:oid:1.2.250.1.213.2.5';

export interface BundleDocument {
  bytes: Buffer;
  contentType?: string;
  /** LOINC type code (JDV_J07). */
  typeCode?: string;
  title?: string;
  uniqueId?: string;
  /** securityLabel codings; N by default. */
  labels?: { system: string; code: string }[];
  /** The FHIR id of the DocumentReference this one replaces (relatesTo replaces + the PATCH entry). */
  replaces?: string;
  /** Wrong on purpose, when set. */
  size?: number;
  hash?: string;
  binaryContentType?: string;
  eventCodes?: string[];
  /** TRE_A03 class code; 11 by default. */
  classCode?: string;
  /** context.period.start, the date of care; 2026-02-10T09:30:00+01:00 by default. */
  serviceStart?: string;
  /** context.period.end (XDS serviceStopTime); none by default. */
  serviceEnd?: string;
  /** attachment.creation (XDS creationTime); 2026-02-10T09:45:00+01:00 by default. */
  creation?: string;
  /** context.facilityType and practiceSetting; SNOMED ambulatory care, general medicine by default. */
  facilityType?: { system: string; code: string; display?: string };
  practiceSetting?: { system: string; code: string; display?: string };
}

export interface BundleOptions {
  /** The patient: `Patient?identifier=…`, `Patient/<id>`, or an identifier. */
  subject: { reference: string } | { identifier: { system: string; value: string } };
  /** The author's RPPS number (written as PDSm4DMP's idNat: "8" + RPPS). */
  rpps: string;
  documents: BundleDocument[];
  listSubject?: BundleOptions['subject'];
  listUniqueId?: string;
  /** Leave out the PATCH entry of a replacement (MHD lets a recipient be robust about it). */
  withoutSupersede?: boolean;
}

export const sha1Base64 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('base64');
export const newOid = () => `urn:oid:1.2.250.1.999.${Date.now()}.${Math.floor(Math.random() * 1e9)}`;

/** A PDSm bundle; its entries in the order List, then for each document DocumentReference, [PATCH], Binary. */
export function pdsmBundle(options: BundleOptions) {
  const tag = randomUUID().slice(0, 8);
  const url = (n: number) => `urn:uuid:${tag}-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const author = { resourceType: 'Practitioner', id: 'auteur', identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', value: `8${options.rpps}` }] };
  const sourcePatient = { resourceType: 'Patient', id: 'patient-source', identifier: [{ system: 'urn:oid:1.2.250.1.999.1', value: 'IPP-4711' }] };
  const entries: unknown[] = [];
  const refUrls: string[] = [];
  options.documents.forEach((doc, i) => {
    const refUrl = url(10 + i * 2);
    const binaryUrl = url(11 + i * 2);
    refUrls.push(refUrl);
    const contentType = doc.contentType ?? 'application/pdf';
    entries.push({
      fullUrl: refUrl,
      resource: {
        resourceType: 'DocumentReference',
        contained: [author, sourcePatient],
        masterIdentifier: { system: 'urn:ietf:rfc:3986', value: doc.uniqueId ?? newOid() },
        status: 'current',
        ...(doc.replaces ? { relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${doc.replaces}` } }] } : {}),
        type: { coding: [{ system: 'http://loinc.org', code: doc.typeCode ?? '11488-4', display: 'Compte rendu de consultation' }] },
        category: [{ coding: [doc.classCode === undefined ? { system: TRE_A03, code: '11', display: 'Compte rendu' } : { system: TRE_A03, code: doc.classCode }] }],
        subject: options.subject,
        date: '2026-02-10T10:00:00+01:00',
        author: [{ reference: '#auteur' }],
        securityLabel: (doc.labels ?? [{ system: V3_CONFIDENTIALITY, code: 'N' }]).map((c) => ({ coding: [c] })),
        content: [
          {
            attachment: {
              contentType,
              language: 'fr-FR',
              url: binaryUrl,
              size: doc.size ?? doc.bytes.length,
              hash: doc.hash ?? sha1Base64(doc.bytes),
              title: doc.title ?? `Compte rendu ${i + 1}`,
              creation: doc.creation ?? '2026-02-10T09:45:00+01:00',
            },
            format: { system: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode', code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient' },
          },
        ],
        context: {
          period: { start: doc.serviceStart ?? '2026-02-10T09:30:00+01:00', ...(doc.serviceEnd ? { end: doc.serviceEnd } : {}) },
          facilityType: { coding: [doc.facilityType ?? { system: SNOMED, code: '35971002', display: 'Ambulatory care site' }] },
          practiceSetting: { coding: [doc.practiceSetting ?? { system: SNOMED, code: '394802001', display: 'General medicine' }] },
          ...(doc.eventCodes ? { event: doc.eventCodes.map((code) => ({ coding: [{ system: CCAM, code }] })) } : {}),
          sourcePatientInfo: { reference: '#patient-source' },
        },
      },
      request: { method: 'POST', url: 'DocumentReference' },
    });
    if (doc.replaces && !options.withoutSupersede) {
      entries.push({
        fullUrl: url(90 + i),
        resource: {
          resourceType: 'Parameters',
          parameter: [
            {
              name: 'operation',
              part: [
                { name: 'type', valueCode: 'replace' },
                { name: 'path', valueString: 'DocumentReference.status' },
                { name: 'value', valueCode: 'superseded' },
              ],
            },
          ],
        },
        request: { method: 'PATCH', url: `DocumentReference/${doc.replaces}` },
      });
    }
    entries.push({
      fullUrl: binaryUrl,
      resource: { resourceType: 'Binary', contentType: doc.binaryContentType ?? contentType, data: doc.bytes.toString('base64') },
      request: { method: 'POST', url: 'Binary' },
    });
  });
  const list = {
    fullUrl: url(1),
    resource: {
      resourceType: 'List',
      contained: [{ resourceType: 'PractitionerRole', id: 'auteur-lot', practitioner: { identifier: { system: 'urn:oid:1.2.250.1.71.4.2.1', value: `8${options.rpps}` } } }],
      extension: [
        { url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-designationType', valueCodeableConcept: { coding: [{ system: TRE_A03, code: '11', display: 'Compte rendu' }] } },
        { url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId', valueIdentifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.250.1.999.42' } },
      ],
      identifier: [{ system: 'urn:ietf:rfc:3986', value: options.listUniqueId ?? newOid(), use: 'official' }],
      status: 'current',
      mode: 'working',
      title: 'Consultation du 10 février',
      code: { coding: [{ system: 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes', code: 'submissionset' }] },
      subject: options.listSubject ?? options.subject,
      date: '2026-02-10T10:00:00+01:00',
      source: { reference: '#auteur-lot' },
      entry: refUrls.map((reference) => ({ item: { reference } })),
    },
    request: { method: 'POST', url: 'List' },
  };
  return { resourceType: 'Bundle', meta: { profile: ['https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-comprehensive-provide-document-bundle'] }, type: 'transaction', entry: [list, ...entries] };
}
