/**
 * Reading an ITI-65 Provide Document Bundle (pure: no I/O). IHE MHD 4.2 §2:3.65.4.1.2: a FHIR
 * `transaction` Bundle with one SubmissionSet List, one or more DocumentReferences, their
 * Binaries and, for a replacement, the PATCH that supersedes the replaced DocumentReference
 * (the UpdateDocumentRefs slice); profiled by ANS PDSm 3.x (PDSm_ComprehensiveProvideDocumentBundle,
 * st_ajout) and PDSm4DMP (TD2 for new documents, TD2.1 for a replacement).
 *
 * Everything that can be checked without the record is checked here, before it is even looked
 * for (§2:3.65.4.1.3: "validate the bundle first"): the resources against R4 and the cardinalities
 * of the PDSm comprehensive profiles, the references inside the Bundle, each attachment's size
 * and SHA-1 against its decoded bytes, the author against the signed-in professional. What needs
 * the bytes' inspection (the format against contentType, a CDA header's type against `type`)
 * is checked where the inspection happens (documents/deposit.ts, `declared`).
 * A refusal names the element (OperationOutcome.issue.expression): `Bundle.entry[i].resource…`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError, badRequest, type FieldError } from '../../platform';
import type { SharingMetadata } from '../../documents';
import { INS_OID } from '../../identity';
import { parseDocumentFhirId, typeFromCoding, type DocumentKey } from './resources';
import { codingKey, isProfessionalIdentifier, readSecurityLabels, rppsOf, type VisibilityFlag } from './intake-codes';

// ---- R4 datatypes, as far as the profiles constrain them ----

const coding = z.object({ system: z.string().min(1).optional(), code: z.string().min(1).optional(), display: z.string().optional() });
const codeable = z.object({ coding: z.array(coding).min(1, 'Au moins un code (coding) est attendu.'), text: z.string().optional() });
const identifier = z.object({ system: z.string().min(1).optional(), value: z.string().min(1).optional(), type: codeable.optional(), use: z.string().optional() });
const reference = z.object({ reference: z.string().min(1).optional(), identifier: identifier.optional(), type: z.string().optional(), display: z.string().optional() });
const DATE_TIME = /^(\d{4})(-(\d{2})(-(\d{2})(T(\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?(Z|[+-](\d{2}):(\d{2})))?)?)?$/;
/**
 * FHIR R4 dateTime (a year, a month, a date, or a date with a time and a zone), and a real one:
 * months, days (31 February is refused), hours, minutes, seconds (60: a leap second) and zones
 * within their ranges (R4 §2.24.0.1 dateTime). The seconds may be left out, as they always were here.
 */
function isFhirDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second, zoneHour, zoneMinute] = [1, 3, 5, 7, 8, 10, 13, 14].map((k) => (m[k] === undefined ? undefined : Number(m[k])));
  if (year === 0) return false;
  if (month !== undefined && (month < 1 || month > 12)) return false;
  if (day !== undefined && (day < 1 || day > new Date(Date.UTC(year!, month!, 0)).getUTCDate())) return false;
  if (hour !== undefined && (hour > 23 || minute! > 59 || (second ?? 0) > 60)) return false;
  if (zoneHour !== undefined && (zoneMinute! > 59 || zoneHour * 60 + zoneMinute! > 14 * 60)) return false;
  return true;
}
const DATE_TIME_MESSAGE = 'Date FHIR attendue (ex. 2026-02-10T09:30:00+01:00).';
const dateTime = z.string().refine(isFhirDateTime, DATE_TIME_MESSAGE);
/** A dateTime given with its time (then with its zone): an instant, what the times of 0020 keep. */
const hasTime = (value: string) => value.includes('T');
/** The instant of a dateTime with its time, in ms; a leap second (:60) is the second after :59. */
const instantOf = (value: string) => {
  const leap = /:60(?=[.Z+-])/.test(value);
  return Date.parse(leap ? value.replace(/:60(?=[.Z+-])/, ':59') : value) + (leap ? 1000 : 0);
};
const contained = z.array(z.looseObject({ resourceType: z.string(), id: z.string().optional() })).optional();
const extension = z.array(z.looseObject({ url: z.string() })).optional();

const required = (what: string) => ({ error: (issue: { input: unknown }) => (issue.input === undefined ? `${what} est obligatoire.` : undefined) });

/** PDSm_ComprehensiveDocumentReference (on MHD ComprehensiveDocumentReference): what a new document carries. */
const documentReference = z.looseObject({
  resourceType: z.literal('DocumentReference'),
  contained,
  masterIdentifier: z.object({ system: z.string().min(1), value: z.string().min(1).max(256) }, required('L’identifiant unique du document (masterIdentifier : system et value)')),
  status: z.literal('current', { error: 'Un document déposé a le statut « current ».' }),
  type: z.object(codeable.shape, required('Le type du document (type)')),
  category: z.array(codeable, required('La classe du document (category, TRE_A03)')).length(1, 'Un document a une seule classe (category).'),
  subject: z.object(reference.shape, required('Le patient (subject)')),
  date: dateTime.optional(),
  author: z.array(reference, required('L’auteur (author)')).min(1, 'L’auteur (author) est obligatoire.'),
  description: z.string().max(1000).optional(),
  securityLabel: z.array(codeable, required('Le niveau de confidentialité (securityLabel)')).min(1, 'Le niveau de confidentialité (securityLabel) est obligatoire.'),
  relatesTo: z.array(z.object({ code: z.string().min(1), target: reference })).optional(),
  content: z
    .array(
      z.object({
        attachment: z.object({
          contentType: z.string().min(1, 'Le type de contenu est obligatoire.'),
          language: z.string().min(2, 'La langue du document (ex. fr-FR) est obligatoire.').max(35),
          url: z.string().min(1),
          size: z.number(required('La taille du document (size)')).int().min(0),
          hash: z.string(required('Le hachage SHA-1 du document (hash)')).min(1),
          title: z.string(required('Le titre du document (title)')).trim().min(1).max(200, 'Le titre est trop long : 200 caractères au plus.'),
          creation: dateTime.optional(),
          data: z.undefined({ error: 'Le contenu va dans le Binary du lot, pas dans attachment.data.' }).optional(),
        }),
        format: coding.optional(),
      }),
      required('Le contenu du document (content)'),
    )
    .length(1, 'Un DocumentReference décrit un seul contenu.'),
  context: z.object(
    {
      period: z.object({ start: dateTime, end: dateTime.optional() }, required('La date de l’acte (context.period.start)')),
      facilityType: z.object(codeable.shape, required('Le secteur d’activité (context.facilityType)')),
      practiceSetting: z.object(codeable.shape, required('Le cadre d’exercice (context.practiceSetting)')),
      event: z.array(codeable).optional(),
      sourcePatientInfo: z.object(reference.shape, required('Le patient tel que le logiciel le connaît (context.sourcePatientInfo)')),
    },
    required('Le contexte du document (context)'),
  ),
});

/** PDSm_SubmissionSetComprehensive (on MHD SubmissionSet): List.status, mode, code are fixed. */
const MHD_LIST_TYPES = 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes';
const submissionSet = z.looseObject({
  resourceType: z.literal('List'),
  contained,
  extension,
  identifier: z.array(identifier, required('L’identifiant unique du lot (identifier)')).min(1),
  status: z.literal('current', { error: 'Le lot de soumission a le statut « current ».' }),
  mode: z.literal('working', { error: 'Le lot de soumission a le mode « working ».' }),
  title: z.string().trim().max(200).optional(),
  code: z.object(
    { coding: z.array(coding).refine((codings) => codings.some((c) => c.system === MHD_LIST_TYPES && c.code === 'submissionset'), `Code attendu : ${MHD_LIST_TYPES}|submissionset.`) },
    required('Le code du List (submissionset)'),
  ),
  subject: z.object(reference.shape, required('Le patient (subject)')),
  date: dateTime.refine((d) => d.length > 10, 'La date et l’heure de soumission sont attendues.'),
  source: z.object(reference.shape, required('L’auteur du lot (source)')),
  entry: z.array(z.object({ item: reference })).min(1, 'Le lot liste ses documents (entry.item).'),
});

const binary = z.looseObject({
  resourceType: z.literal('Binary'),
  contentType: z.string().min(1),
  data: z.string().min(1, 'Le contenu du document (Binary.data) est vide.'),
});

/** The UpdateDocumentRefs slice (MHD IHE.MHD.Patch.Parameters): the replaced one becomes superseded. */
const supersedePatch = z.looseObject({
  resourceType: z.literal('Parameters'),
  parameter: z
    .array(z.object({ name: z.literal('operation'), part: z.array(z.looseObject({ name: z.string() })) }))
    .length(1)
    .refine(([operation]) => {
      const part = (name: string) => operation!.part.find((p) => p.name === name) as Record<string, unknown> | undefined;
      return part('type')?.valueCode === 'replace' && part('path')?.valueString === 'DocumentReference.status' && part('value')?.valueCode === 'superseded';
    }, 'Seule la mise à jour « replace DocumentReference.status → superseded » accompagne un remplacement.'),
});

const bundle = z.object({
  resourceType: z.literal('Bundle', { error: 'Envoyez une ressource Bundle.' }),
  type: z.literal('transaction', { error: 'Le Bundle doit être de type « transaction ».' }),
  entry: z
    .array(
      z.object({
        fullUrl: z.string().min(1, 'Chaque entrée a un fullUrl.'),
        resource: z.looseObject({ resourceType: z.string() }),
        request: z.object({ method: z.enum(['POST', 'PATCH'], { error: 'Les entrées sont créées (POST), sauf la mise à jour du document remplacé (PATCH).' }), url: z.string().min(1) }),
      }),
    )
    .min(3, 'Le lot doit contenir un List, au moins un DocumentReference et son Binary.'),
});

// ---- What the bundle brings ----

/** How a FHIR reference designates the patient: by INS (a conditional reference or an identifier) or by the Patient's id (the record's). */
export type PatientDesignation = { ins: { oid: string; matricule: string } } | { recordId: string };

export interface ProvidedDocument {
  typeCode: string;
  title: string;
  careDate: string;
  flags: Record<VisibilityFlag, boolean>;
  bytes: Buffer;
  declared: { mediaType: string; typeCode: string };
  metadata: SharingMetadata;
  /** The DocumentReference it replaces (relatesTo replaces), 'unknown' when its id is not one of ours. */
  replaces: DocumentKey | 'unknown' | null;
  /** That DocumentReference's id as sent (what the PATCH entry of the replacement names). */
  replacesId: string | null;
  /** relatesTo codes this server does not act on (MHD Table 2:3.65.4.1.3-1: answered as warnings). */
  ignoredRelations: string[];
}

export interface ProvidedSubmissionSet {
  uniqueId: string;
  sourceId: string;
  title: string | null;
  contentType: string | null;
}

/** One request entry, in order: what the response says of it. */
export type EntryRole = { kind: 'List' } | { kind: 'DocumentReference'; document: number } | { kind: 'Binary'; document: number } | { kind: 'Supersede'; document: number; target: string };

export interface ProvidedBundle {
  /** Every designation of the patient, distinct (each must be the same record). */
  patients: PatientDesignation[];
  submissionSet: ProvidedSubmissionSet;
  documents: ProvidedDocument[];
  entries: EntryRole[];
  /** Where each document's DocumentReference and Binary sit in Bundle.entry, to name an element. */
  positions: { reference: number; binary: number }[];
}

const INS_SYSTEMS = new Set<string>(Object.values(INS_OID).map((oid) => `urn:oid:${oid}`));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The patient a `subject` designates (MHD §2:3.65.4.1.2.2): `Patient?identifier=<INS OID>|<INS>`
 * (the conditional reference of every PDSm example), a logical reference by `identifier`, or a
 * literal `Patient/<id>` whose id is the record's (the id PDQm answers). Null when it is none
 * of these, or not by an INS.
 */
export function patientOf(subject: z.infer<typeof reference>): PatientDesignation | null {
  const ref = subject.reference?.trim();
  if (ref) {
    const conditional = /^Patient\?identifier=(.+)$/.exec(ref);
    if (conditional) {
      let token: string;
      try {
        token = decodeURIComponent(conditional[1]!);
      } catch {
        return null;
      }
      const bar = token.indexOf('|');
      return bar < 0 ? null : byIns(token.slice(0, bar), token.slice(bar + 1));
    }
    const literal = /^Patient\/([^/?#]+)$/.exec(ref);
    return literal && UUID.test(literal[1]!) ? { recordId: literal[1]!.toLowerCase() } : null;
  }
  if (subject.identifier && (subject.type === undefined || subject.type === 'Patient')) return byIns(subject.identifier.system, subject.identifier.value);
  return null;
}

function byIns(system: string | undefined, value: string | undefined): PatientDesignation | null {
  const matricule = value?.trim().toUpperCase();
  if (!system || !INS_SYSTEMS.has(system) || !matricule) return null;
  return { ins: { oid: system.slice('urn:oid:'.length), matricule } };
}

const designationKey = (p: PatientDesignation) => ('ins' in p ? `ins:${p.ins.oid}|${p.ins.matricule}` : `record:${p.recordId}`);

type Entry = z.infer<typeof bundle>['entry'][number];

/**
 * Reads the bundle for the professional whose RPPS number is `rpps`; `maxBytes` bounds the
 * documents of one bundle together (see routes.ts for why the bound is per bundle).
 */
export function readProvideBundle(body: unknown, options: { maxBytes: number; rpps: string }): ProvidedBundle {
  const parsed = bundle.safeParse(body);
  if (!parsed.success) throw invalidBundle(parsed.error);
  const entries = parsed.data.entry;
  const at = (i: number) => `Bundle.entry[${i}]`;

  const lists = entries.flatMap((e, i) => (e.resource.resourceType === 'List' ? [i] : []));
  if (lists.length !== 1) {
    throw unprocessable(lists.length ? 'Le lot contient un seul List : le lot de soumission (les classeurs ne sont pas pris en charge).' : 'Le lot de soumission (List) manque.', lists.length ? at(lists[1]!) : 'Bundle.entry');
  }
  const refIndexes = entries.flatMap((e, i) => (e.resource.resourceType === 'DocumentReference' ? [i] : []));
  if (refIndexes.length === 0) throw unprocessable('Le lot ne contient aucun DocumentReference.', 'Bundle.entry');
  for (const [i, e] of entries.entries()) checkRequest(e, i);

  const listIndex = lists[0]!;
  const list = parseResource(submissionSet, entries[listIndex]!, listIndex);
  const references = refIndexes.map((i) => ({ index: i, resource: parseResource(documentReference, entries[i]!, i) }));

  // The Binaries: each one the content of exactly one DocumentReference (MHD: "shall be in the Bundle").
  const binaryOf = new Map<number, number>();
  for (const { index, resource } of references) {
    const url = resource.content[0]!.attachment.url;
    const target = resolve(entries, url);
    if (target === undefined || entries[target]!.resource.resourceType !== 'Binary') {
      throw unprocessable('Le contenu du document (attachment.url) doit désigner un Binary du lot (son fullUrl).', `${at(index)}.resource.content[0].attachment.url`);
    }
    if ([...binaryOf.values()].includes(target)) throw unprocessable('Deux documents désignent le même Binary.', `${at(index)}.resource.content[0].attachment.url`);
    binaryOf.set(index, target);
  }
  for (const [i, e] of entries.entries()) {
    if (e.resource.resourceType === 'Binary' && ![...binaryOf.values()].includes(i)) throw unprocessable('Ce Binary n’est le contenu d’aucun DocumentReference du lot.', at(i));
  }
  const binaries = new Map([...binaryOf].map(([ref, bin]) => [ref, parseResource(binary, entries[bin]!, bin)]));

  // Every document of the submission set is listed by it, and it lists nothing else.
  const listed = list.entry.map((item) => resolve(entries, item.item.reference ?? ''));
  for (const [k, target] of listed.entries()) {
    if (target === undefined || entries[target]!.resource.resourceType !== 'DocumentReference') {
      throw unprocessable('Le lot de soumission ne peut lister que les DocumentReference du Bundle.', `${at(listIndex)}.resource.entry[${k}].item`);
    }
  }
  for (const { index } of references) {
    if (!listed.includes(index)) throw unprocessable('Ce document n’est pas listé par le lot de soumission (List.entry).', at(index));
  }

  // The size of all documents together, from the base64 alone, before anything is decoded.
  let total = 0;
  for (const [ref, bin] of binaryOf) {
    const size = base64Size(binaries.get(ref)!.data);
    if (size === null) throw unprocessable('Le contenu du document (Binary.data) n’est pas en base64.', `${at(bin)}.resource.data`);
    total += size;
  }
  if (total > options.maxBytes) {
    const mb = Math.floor(options.maxBytes / (1024 * 1024)) || 1;
    throw new AppError(413, 'too-large', 'Envoi trop volumineux', `Les documents du lot dépassent la taille permise (${mb} Mo au plus pour l’ensemble d’un lot).`);
  }

  const patients = new Map<string, PatientDesignation>();
  const designate = (subject: z.infer<typeof reference>, path: string) => {
    const designation = patientOf(subject);
    if (!designation) {
      throw unprocessable('Le patient se désigne par son INS (Patient?identifier=urn:oid:1.2.250.1.213.1.4.8|<NIR>, ou un identifier) ou par sa ressource Patient (Patient/<id>).', path);
    }
    patients.set(designationKey(designation), designation);
  };
  designate(list.subject, `${at(listIndex)}.resource.subject`);
  checkAuthors(list, [list.source], options.rpps, `${at(listIndex)}.resource.source`);

  const documents = references.map(({ index, resource }) => {
    designate(resource.subject, `${at(index)}.resource.subject`);
    return readDocument(resource, binaries.get(index)!, index, options.rpps);
  });
  const targets = documents.flatMap((d) => (d.replaces && d.replaces !== 'unknown' ? [d.replaces.documentId] : []));
  if (new Set(targets).size !== targets.length) throw unprocessable('Deux documents du lot remplacent le même document.', 'Bundle.entry');

  const roles = entries.map((e, i): EntryRole => {
    if (i === listIndex) return { kind: 'List' };
    const document = refIndexes.indexOf(i);
    if (document >= 0) return { kind: 'DocumentReference', document };
    if (e.resource.resourceType === 'Binary') return { kind: 'Binary', document: refIndexes.indexOf([...binaryOf].find(([, bin]) => bin === i)![0]) };
    return supersedeRole(e, i, documents);
  });

  return {
    patients: [...patients.values()],
    submissionSet: readSubmissionSet(list, listIndex),
    documents,
    entries: roles,
    positions: refIndexes.map((i) => ({ reference: i, binary: binaryOf.get(i)! })),
  };
}

/** Each entry's request must say what it does (FHIR transaction: method and url of the type). */
function checkRequest(e: Entry, i: number): void {
  const type = e.resource.resourceType;
  const path = `Bundle.entry[${i}].request`;
  if (type === 'Parameters') {
    if (e.request.method !== 'PATCH' || !/^DocumentReference\/[^/?]+$/.test(e.request.url)) {
      throw unprocessable('Un Parameters met à jour le document remplacé : PATCH DocumentReference/<id>.', path);
    }
    return;
  }
  if (!['List', 'DocumentReference', 'Binary'].includes(type)) {
    throw unprocessable(`Une ressource ${type} n’a pas sa place dans un lot ITI-65 (List, DocumentReference, Binary).`, `Bundle.entry[${i}].resource`);
  }
  if (e.request.method !== 'POST' || e.request.url !== type) throw unprocessable(`Cette entrée crée un ${type} : request POST ${type}.`, path);
}

/** A PATCH entry supersedes a DocumentReference that a document of the bundle replaces (MHD UpdateDocumentRefs). */
function supersedeRole(e: Entry, i: number, documents: ProvidedDocument[]): EntryRole {
  parseResource(supersedePatch, e, i);
  const target = e.request.url.slice('DocumentReference/'.length);
  const document = documents.findIndex((d) => d.replacesId === target);
  if (document < 0) throw unprocessable('Ce PATCH ne met à jour aucun document que le lot remplace (relatesTo « replaces »).', `Bundle.entry[${i}].request.url`);
  return { kind: 'Supersede', document, target };
}

function readSubmissionSet(list: z.infer<typeof submissionSet>, index: number): ProvidedSubmissionSet {
  const at = `Bundle.entry[${index}].resource`;
  const ids = list.identifier;
  // MHD SubmissionSetUniqueIdIdentifier: typed uniqueId (or, as older senders do, the official / urn:oid one).
  const unique =
    ids.find((id) => id.type?.coding?.some((c) => c.code === 'uniqueId')) ??
    ids.find((id) => id.use === 'official') ??
    ids.find((id) => id.value?.startsWith('urn:oid:'));
  if (!unique?.value || unique.system !== 'urn:ietf:rfc:3986' || !/^urn:(oid|uuid):/.test(unique.value)) {
    throw unprocessable('L’identifiant unique du lot (List.identifier uniqueId) est obligatoire : system urn:ietf:rfc:3986, valeur urn:oid:….', `${at}.identifier`);
  }
  const ext = (name: string) => (list.extension ?? []).find((x) => x.url === `https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-${name}`) as Record<string, unknown> | undefined;
  const sourceId = (ext('sourceId')?.valueIdentifier as { value?: unknown } | undefined)?.value;
  if (typeof sourceId !== 'string' || !sourceId) throw unprocessable('L’identifiant du logiciel émetteur (extension ihe-sourceId) est obligatoire.', `${at}.extension`);
  const designation = ext('designationType')?.valueCodeableConcept as { coding?: { system?: string; code?: string }[] } | undefined;
  const contentType = codingKey(designation);
  if (!contentType) throw unprocessable('Le type d’activité du lot (extension ihe-designationType) est obligatoire.', `${at}.extension`);
  return { uniqueId: unique.value, sourceId, title: list.title || null, contentType };
}

function readDocument(resource: z.infer<typeof documentReference>, content: z.infer<typeof binary>, index: number, rpps: string): ProvidedDocument {
  const at = `Bundle.entry[${index}].resource`;
  const attachment = resource.content[0]!.attachment;
  const typeCode = resource.type.coding.map(typeFromCoding).find((code) => code !== null);
  if (!typeCode) throw unprocessable('Ce type de document n’existe pas dans la liste officielle des types de documents (JDV_J07).', `${at}.type`);
  if (baseType(attachment.contentType) !== baseType(content.contentType)) {
    throw unprocessable('Le DocumentReference et son Binary n’annoncent pas le même type de contenu.', `${at}.content[0].attachment.contentType`);
  }
  checkAuthors(resource, resource.author, rpps, `${at}.author`);
  const labels = readSecurityLabels(resource.securityLabel);
  if (!labels.ok) throw unprocessable(labels.message, `${at}.securityLabel[${labels.index}]`);
  const classCode = codingKey(resource.category[0]);
  if (!classCode) throw unprocessable('La classe du document (category) se donne par un code et son système (TRE_A03).', `${at}.category[0]`);

  // Size and hash of the raw document (MHD §2:3.65.4.1.2.1), measured on the decoded bytes: linear.
  const bytes = Buffer.from(content.data, 'base64');
  if (attachment.size !== bytes.length) {
    throw unprocessable(`La taille annoncée (${attachment.size} octets) n’est pas celle du document envoyé (${bytes.length} octets).`, `${at}.content[0].attachment.size`);
  }
  const sha1 = createHash('sha1').update(bytes).digest();
  if (!sha1.equals(Buffer.from(attachment.hash, 'base64')) || attachment.hash.trim().length !== 28) {
    throw unprocessable('Le hachage annoncé (attachment.hash, SHA-1 en base64) n’est pas celui du document envoyé.', `${at}.content[0].attachment.hash`);
  }

  const sourcePatient = containedResource(resource, resource.context.sourcePatientInfo, ['Patient']);
  if (!sourcePatient) throw unprocessable('Le patient du logiciel (context.sourcePatientInfo) est une ressource Patient contenue (#id).', `${at}.context.sourcePatientInfo`);
  const facilityType = codingKey(resource.context.facilityType);
  const practiceSetting = codingKey(resource.context.practiceSetting);
  if (!facilityType) throw unprocessable('Le secteur d’activité se donne par un code et son système.', `${at}.context.facilityType`);
  if (!practiceSetting) throw unprocessable('Le cadre d’exercice se donne par un code et son système.', `${at}.context.practiceSetting`);
  const period = resource.context.period;
  if (period.end !== undefined && endsBeforeStart(period.start, period.end)) {
    throw unprocessable('La fin de l’acte (context.period.end) précède son début (context.period.start).', `${at}.context.period.end`);
  }
  const { replaces, replacesId, ignored } = relationsOf(resource, at);
  return {
    typeCode,
    title: attachment.title,
    careDate: resource.context.period.start.slice(0, 10),
    flags: labels.labels.flags,
    bytes,
    declared: { mediaType: attachment.contentType, typeCode },
    metadata: {
      uniqueId: resource.masterIdentifier.value,
      classCode,
      ...(labels.labels.confidentiality ? { confidentiality: labels.labels.confidentiality } : {}),
      facilityType,
      practiceSetting,
      eventCodes: (resource.context.event ?? []).flatMap((event) => event.coding.flatMap((c) => (c.system && c.code ? [`${c.system}|${c.code}`] : []))),
      language: attachment.language,
      // XDS creationTime, serviceStartTime, serviceStopTime: kept as instants when sent with a time
      // (a date alone is no instant; the start's date is careDate in any case).
      ...instantField('authoredAt', attachment.creation),
      ...instantField('serviceStart', period.start),
      ...instantField('serviceEnd', period.end),
      sourcePatient,
    },
    replaces,
    replacesId,
    ignoredRelations: ignored,
  };
}

const instantField = <K extends string>(key: K, value: string | undefined) =>
  (value !== undefined && hasTime(value) ? { [key]: new Date(instantOf(value)).toISOString() } : {}) as Partial<Record<K, string>>;

/**
 * Whether a period ends before it starts. Two instants compare as instants; when either is a
 * date (or a month, a year) alone, their dates compare at the precision both have.
 */
function endsBeforeStart(start: string, end: string): boolean {
  if (hasTime(start) && hasTime(end)) return instantOf(end) < instantOf(start);
  const date = (value: string) => value.split('T')[0]!;
  const length = Math.min(date(start).length, date(end).length);
  return date(end).slice(0, length) < date(start).slice(0, length);
}

/** relatesTo (MHD §2:3.65.4.1.2.3): one `replaces` at most (PDSm: 1..1 for a replacement); the other codes are not acted on. */
function relationsOf(resource: z.infer<typeof documentReference>, at: string): { replaces: DocumentKey | 'unknown' | null; replacesId: string | null; ignored: string[] } {
  const relations = resource.relatesTo ?? [];
  const replacing = relations.filter((r) => r.code === 'replaces');
  if (replacing.length > 1) throw unprocessable('Un document en remplace un seul (relatesTo « replaces »).', `${at}.relatesTo`);
  const ignored = relations.filter((r) => r.code !== 'replaces').map((r) => r.code);
  if (!replacing.length) return { replaces: null, replacesId: null, ignored };
  const target = replacing[0]!.target.reference ?? '';
  const id = /(?:^|\/)DocumentReference\/([^/?#]+)$/.exec(target)?.[1];
  if (!id) throw unprocessable('Le document remplacé se désigne par DocumentReference/<id>.', `${at}.relatesTo[${relations.indexOf(replacing[0]!)}].target`);
  return { replaces: parseDocumentFhirId(id) ?? 'unknown', replacesId: id, ignored };
}

type WithContained = { contained?: { resourceType: string; id?: string | undefined }[] | undefined };

/** A `#id` reference to a resource the DocumentReference (or List) contains, of one of these types. */
function containedResource(owner: WithContained, ref: z.infer<typeof reference> | undefined, types: string[]): Record<string, unknown> | null {
  const local = ref?.reference?.startsWith('#') ? ref.reference.slice(1) : null;
  const found = local ? owner.contained?.find((r) => r.id === local) : undefined;
  return found && types.includes(found.resourceType) ? (found as Record<string, unknown>) : null;
}

/**
 * The author is the signed-in professional: a deposit is made in one's own name (the DMP lets
 * only a document's author replace or delete it, PDSm4DMP TD3.3c NB2, so naming another would
 * hand them, or take from the depositor, those rights). Authors are contained (MHD
 * ComprehensiveDocumentReference) or designated by identifier; a person is a Practitioner or a
 * PractitionerRole (its own identifier or its practitioner's). An organisation or a device
 * beside the person is allowed.
 */
function checkAuthors(owner: WithContained, authors: z.infer<typeof reference>[], rpps: string, path: string): void {
  let me = false;
  for (const [k, author] of authors.entries()) {
    const where = authors.length > 1 || path.endsWith('author') ? `${path}[${k}]` : path;
    const ids = personIdentifiers(owner, author);
    if (ids === 'not-a-person') continue;
    if (ids === 'unresolved') throw unprocessable('L’auteur est une ressource contenue (#id) ou se désigne par son identifiant (RPPS).', where);
    const named = ids.filter(isProfessionalIdentifier).map(rppsOf);
    if (!named.length) throw unprocessable('L’auteur se désigne par son identifiant national (RPPS : urn:oid:1.2.250.1.71.4.2.1, « 8 » suivi du numéro RPPS).', where);
    if (named.some((n) => n !== rpps)) throw unprocessable(`L’auteur doit être le professionnel connecté (RPPS ${rpps}) : un document se dépose en son propre nom.`, where);
    me = true;
  }
  if (!me) throw unprocessable(`L’auteur doit être le professionnel connecté (RPPS ${rpps}), décrit par un Practitioner ou un PractitionerRole.`, path);
}

type Identified = { system?: string | undefined; value?: string | undefined };

function personIdentifiers(owner: WithContained, author: z.infer<typeof reference>): Identified[] | 'not-a-person' | 'unresolved' {
  if (!author.reference) {
    if (!author.identifier) return 'unresolved';
    return author.type === undefined || author.type === 'Practitioner' || author.type === 'PractitionerRole' ? [author.identifier] : 'not-a-person';
  }
  const found = containedResource(owner, author, ['Practitioner', 'PractitionerRole', 'Organization', 'Device', 'Patient']);
  if (!found) return 'unresolved';
  if (found.resourceType !== 'Practitioner' && found.resourceType !== 'PractitionerRole') return 'not-a-person';
  const ids = identifiersOf(found);
  if (found.resourceType === 'PractitionerRole') {
    const practitioner = found.practitioner as z.infer<typeof reference> | undefined;
    if (practitioner?.identifier) ids.push(practitioner.identifier);
    const contained = practitioner ? containedResource(owner, practitioner, ['Practitioner']) : null;
    if (contained) ids.push(...identifiersOf(contained));
  }
  return ids;
}

function identifiersOf(resource: Record<string, unknown>): Identified[] {
  return Array.isArray(resource.identifier) ? (resource.identifier as Identified[]).filter((i) => typeof i === 'object' && i !== null) : [];
}

/** The entry a reference inside the Bundle designates: by its fullUrl, or a relative url the fullUrl ends with. */
function resolve(entries: Entry[], ref: string): number | undefined {
  const i = entries.findIndex((e) => e.fullUrl === ref || (!ref.includes(':') && e.fullUrl.endsWith(`/${ref}`)));
  return i < 0 ? undefined : i;
}

const baseType = (mediaType: string) => mediaType.split(';')[0]!.trim().toLowerCase();

function parseResource<T>(schema: z.ZodType<T>, entry: Entry, index: number): T {
  const parsed = schema.safeParse(entry.resource);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((issue) => ({ field: fhirPath(`Bundle.entry[${index}].resource`, issue.path), message: issue.message }));
  throw new AppError(422, 'invalid-resource', 'Ressource incorrecte', `${entry.resource.resourceType} incorrect : ${errors[0]!.message}`, errors);
}

/** A zod path as a FHIRPath expression: numbers as indexes. */
function fhirPath(prefix: string, path: PropertyKey[]): string {
  return path.reduce<string>((expr, key) => (typeof key === 'number' ? `${expr}[${key}]` : `${expr}.${String(key)}`), prefix);
}

const unprocessable = (message: string, expression: string) => new AppError(422, 'invalid-resource', 'Ressource incorrecte', message, [{ field: expression, message }]);

function invalidBundle(error: z.ZodError): AppError {
  const errors: FieldError[] = error.issues.map((issue) => ({ field: fhirPath('Bundle', issue.path), message: issue.message }));
  return badRequest('Le lot envoyé (Bundle ITI-65) est incorrect.', errors);
}

/**
 * Where a refusal of the deposit about one document (`documents[i].<field>`, documents module)
 * points in the Bundle: the element of its DocumentReference, or its Binary for the bytes.
 */
export function expressionOfDepositField(field: string, positions: ProvidedBundle['positions']): string {
  const match = /^documents\[(\d+)\](?:\.(.+))?$/.exec(field);
  const position = match ? positions[Number(match[1])] : undefined;
  if (!match || !position) return field === 'masterIdentifier' ? 'DocumentReference.masterIdentifier' : 'Bundle';
  const at = `Bundle.entry[${position.reference}].resource`;
  switch (match[2]) {
    case 'file':
      return `Bundle.entry[${position.binary}].resource.data`;
    case 'contentType':
      return `${at}.content[0].attachment.contentType`;
    case 'typeCode':
      return `${at}.type`;
    case 'title':
      return `${at}.content[0].attachment.title`;
    case 'careDate':
      return `${at}.context.period.start`;
    case 'masterIdentifier':
      return `${at}.masterIdentifier`;
    default:
      return at;
  }
}

/**
 * The decoded size of strict base64 (whitespace allowed between characters), or null when it
 * is not base64. One pass over the characters: a regular expression over a 27 MB string
 * overflows the engine's backtracking stack, which was a 500 for any document over about 3 MB.
 */
function base64Size(text: string): number | null {
  let length = 0;
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (c === 0x3d /* = */) padding++;
    else if (padding > 0 || !isBase64Letter(c)) return null;
    length++;
  }
  if (length % 4 !== 0 || padding > 2) return null;
  return (length / 4) * 3 - padding;
}

const isBase64Letter = (c: number) =>
  (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
