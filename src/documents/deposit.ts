import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext } from '../platform';
import { deriveKey } from '../platform';
import { AppError, invalidField, isUniqueViolation } from '../platform';
import type { BlobStore } from './blob-store';
import { documentType } from '../../shared/catalogue';
import type { CdaHeader } from './cda';
import { inspectUpload, mediaTypeFits } from './inspection';
import { dataKeyFor, sealForRecord } from '../platform';
import { storedAuthorName } from './author-name';
import { storeSealed } from './sealed-blobs';
import type { AuthorKind, Confidentiality, DocumentFormat, DocumentTables } from './tables';
import { termsOf } from './title-terms';

/**
 * Putting a document in a record: by a professional's software, by the patient
 * in their personal space, or by the insurance feed. The bytes decide the
 * format (never the file name); a CDA's own header gives its type, date and
 * patient, which must be the record's. The sealed blob is written first and
 * removed again if the row cannot be written: a refused deposit leaves nothing.
 */

export interface Author {
  kind: AuthorKind;
  id: string;
  name: string;
  /** How the registry describes a professional author (XDS author): kept when known. */
  given?: string;
  family?: string;
  /** As the directory codes them: G15_10 (TRE_G15), SM54 (TRE_R38). */
  profession?: string;
  specialty?: string;
  /** The workplace, with its FINESS when it has one. */
  organization?: { name: string; id?: string };
}

/**
 * The sharing metadata practice software gives with a document (IHE XDS / MHD, ANS PDSm):
 * codes as "system|code". Every field is optional: a deposit from our own screens has none,
 * and the unique id is then made here.
 */
export interface SharingMetadata {
  /** XDS uniqueId (FHIR masterIdentifier.value): a second deposit of the same one is refused. */
  uniqueId?: string;
  classCode?: string;
  confidentiality?: Confidentiality;
  facilityType?: string;
  practiceSetting?: string;
  eventCodes?: string[];
  language?: string;
  /**
   * XDS creationTime (FHIR attachment.creation), serviceStartTime and serviceStopTime (FHIR
   * context.period): instants as ISO 8601 with their zone, kept only when given with a time.
   */
  authoredAt?: string;
  serviceStart?: string;
  serviceEnd?: string;
  /** XDS sourcePatientInfo as sent (sealed at rest). */
  sourcePatient?: unknown;
  submissionSetId?: string;
}

export interface DepositInput {
  bytes: Buffer;
  /** LOINC code from the catalogue; a CDA brings its own. */
  typeCode?: string;
  title?: string;
  /** yyyy-mm-dd; defaults to the CDA's date or today. */
  careDate?: string;
  masked?: boolean;
  hiddenFromPatient?: boolean;
  hiddenFromRepresentatives?: boolean;
  /** For a depositor that names its document beforehand (the feed's CDA set id); new by default. */
  documentId?: string;
  metadata?: SharingMetadata;
  /**
   * Decides on the document as its bytes describe it (type, category, flags, with a CDA's own
   * header), before anything is stored: a header never grants its depositor more than the policy.
   */
  authorize?: (described: DescribedDeposit) => Promise<void>;
  /**
   * What the sender said the bytes are (an MHD DocumentReference's contentType and type): each
   * must agree with what the bytes really are, or the deposit is refused (422, on the fields
   * `contentType` and `typeCode`). A CDA's header type then has to be the declared one.
   */
  declared?: { mediaType: string; typeCode: string };
}

/** What a deposit is, once its bytes are read: what the policy decides on. */
export interface DescribedDeposit {
  typeCode: string;
  category: string;
  masked: boolean;
  hiddenFromPatient: boolean;
  hiddenFromRepresentatives: boolean;
}

export interface DepositTarget {
  recordId: string;
  /** The record's INS matricule, checked against a CDA's patient. */
  insMatricule: string;
}

export interface DepositedDocument {
  documentId: string;
  version: number;
  typeCode: string;
  category: string;
  format: string;
  sizeBytes: number;
  sha256: string;
}

export const titleIndexKey = (dataKey: Buffer) => deriveKey(dataKey, 'title-index');

/**
 * A deposit once its bytes are read, described and authorized, before anything is stored: what
 * `commitDeposits` writes. Several are committed together (an MHD submission set), so that one
 * refused document leaves nothing of the others.
 */
export interface PreparedDeposit {
  author: Author;
  target: DepositTarget;
  documentId: string;
  version: number;
  replaces: { documentId: string; version: number } | undefined;
  bytes: Buffer;
  typeCode: string;
  typeSystem: string;
  category: string;
  title: string;
  careDate: string;
  format: DocumentFormat;
  mediaType: string;
  flags: { masked: boolean; hiddenFromPatient: boolean; hiddenFromRepresentatives: boolean };
  metadata: SharingMetadata;
  sha256: Buffer;
  sha1: Buffer;
}

/** The submission set (MHD SubmissionSet, an ITI-65 List) the documents of one bundle came in. */
export interface SubmissionSetInput {
  submissionSetId: string;
  /** XDS SubmissionSet.uniqueId (List.identifier); unique within the record. */
  uniqueId: string;
  sourceId: string | null;
  title: string | null;
  /** XDS contentTypeCode (the List's designationType), "system|code". */
  contentType: string | null;
  author: { id: string; name: string };
}

export async function depositDocument(
  ctx: AppContext,
  store: BlobStore,
  author: Author,
  target: DepositTarget,
  input: DepositInput,
  replaces?: { documentId: string; version: number },
  /** Runs in the deposit's transaction (the audit event), so both are kept or neither. */
  onStored?: (trx: Kysely<any>, documentId: string) => Promise<void>,
): Promise<DepositedDocument> {
  const prepared = await prepareDeposit(ctx, author, target, input, replaces);
  const [deposited] = await commitDeposits(ctx, store, target.recordId, [prepared], {
    ...(onStored ? { onStored: (trx, stored) => onStored(trx, stored[0]!.documentId) } : {}),
  });
  return deposited!;
}

/**
 * What the bytes are (format, a CDA's header), checked against what the depositor said, and
 * the policy's decision on the document so described (`input.authorize`). Nothing is stored.
 */
export async function prepareDeposit(
  ctx: AppContext,
  author: Author,
  target: DepositTarget,
  input: DepositInput,
  replaces?: { documentId: string; version: number },
): Promise<PreparedDeposit> {
  const { detected, header, cdaError } = await inspectUpload(input.bytes);
  if ('error' in detected && detected.invalidContent) throw invalidField('file', detected.error);
  if ('error' in detected) throw new AppError(415, 'unsupported-format', 'Format non accepté', detected.error);
  if (cdaError) throw invalidField('file', cdaError);
  if (input.declared) checkDeclared(input.declared, detected.format, header);
  const meta = describe(detected.format, header, { ...input, careDate: input.careDate || undefined }, target, ctx.clock.now().toISOString().slice(0, 10));
  const type = documentType(meta.typeCode);
  if (!type) throw invalidField('typeCode', 'Ce type de document n’existe pas dans la liste officielle des types de documents.');

  const flags = {
    masked: input.masked ?? meta.flags.masked,
    hiddenFromPatient: input.hiddenFromPatient ?? meta.flags.hiddenFromPatient,
    hiddenFromRepresentatives: input.hiddenFromRepresentatives ?? meta.flags.hiddenFromRepresentatives,
  };
  await input.authorize?.({ typeCode: type.code, category: type.category, ...flags });
  return {
    author,
    target,
    documentId: replaces?.documentId ?? input.documentId ?? randomUUID(),
    version: (replaces?.version ?? 0) + 1,
    replaces,
    bytes: input.bytes,
    typeCode: type.code,
    typeSystem: type.codeSystem,
    category: type.category,
    title: meta.title,
    careDate: meta.careDate ?? ctx.clock.now().toISOString().slice(0, 10),
    format: detected.format,
    mediaType: detected.mediaType,
    flags,
    metadata: input.metadata ?? {},
    sha256: createHash('sha256').update(input.bytes).digest(),
    sha1: createHash('sha1').update(input.bytes).digest(),
  };
}

export interface CommitOptions {
  submissionSet?: SubmissionSetInput;
  /** Runs in the transaction (the audit events), so that they are kept if and only if the documents are. */
  onStored?: (trx: Kysely<any>, stored: DepositedDocument[]) => Promise<void>;
}

/**
 * Stores prepared deposits of one record all or nothing: the sealed blobs first, then one
 * transaction with every row (and the submission set, and the traces); if anything fails,
 * the blobs already written are removed again (a crash in between leaves orphans that the
 * sweep removes: sweep.ts).
 */
export async function commitDeposits(ctx: AppContext, store: BlobStore, recordId: string, prepared: PreparedDeposit[], options: CommitOptions = {}): Promise<DepositedDocument[]> {
  const now = ctx.clock.now();
  const db = ctx.database.db.withTables<DocumentTables>();
  const dataKey = await dataKeyFor(ctx.database.db, ctx.masterKey, recordId, now);
  const written: string[] = [];
  const blobKeyOf = (p: PreparedDeposit) => `${recordId}/${p.documentId}/${p.version}`;
  try {
    for (const p of prepared) {
      const blobKey = blobKeyOf(p);
      await storeSealed(store, blobKey, dataKey, blobKey, p.bytes);
      written.push(blobKey);
    }
    const submissionSetId = options.submissionSet?.submissionSetId ?? null;
    await db.transaction().execute(async (trx) => {
      if (options.submissionSet) await insertSubmissionSet(trx, recordId, dataKey, options.submissionSet, now);
      for (const [index, p] of prepared.entries()) {
        // The patient's masking and the hiding from representatives are the document's, whatever
        // the version: a new version keeps them (the author may still lift «not visible to the patient»).
        const kept = p.replaces ? await markReplaced(trx, recordId, p.replaces, p.author, now) : null;
        await trx
          .insertInto('document')
          .values(documentRow(p, recordId, dataKey, blobKeyOf(p), kept, submissionSetId, now))
          .execute()
          .catch((error: unknown) => {
            if (isUniqueViolation(error, 'document_unique_id')) throw duplicateDocument(prepared.length > 1 || options.submissionSet ? index : null);
            throw error;
          });
      }
      await options.onStored?.(trx, prepared.map(depositedOf));
    });
  } catch (error) {
    await Promise.all(written.map((key) => store.delete(key).catch(() => {})));
    throw error;
  }
  return prepared.map(depositedOf);
}

/** A second document under the same uniqueId; in a submission, `documents[i]` says which one it was. */
function duplicateDocument(index: number | null): AppError {
  return new AppError(409, 'duplicate-document', 'Document déjà déposé', 'Un document portant cet identifiant unique (uniqueId) a déjà été déposé dans ce DMP.', [
    { field: index === null ? 'masterIdentifier' : `documents[${index}].masterIdentifier`, message: 'Identifiant unique déjà employé.' },
  ]);
}

function depositedOf(p: PreparedDeposit): DepositedDocument {
  return {
    documentId: p.documentId,
    version: p.version,
    typeCode: p.typeCode,
    category: p.category,
    format: p.format,
    sizeBytes: p.bytes.length,
    sha256: p.sha256.toString('hex'),
  };
}

function documentRow(
  p: PreparedDeposit,
  recordId: string,
  dataKey: Buffer,
  blobKey: string,
  kept: { masked: boolean; hidden_from_representatives: boolean } | null,
  submissionSetId: string | null,
  now: Date,
) {
  const { author, metadata } = p;
  return {
    record_id: recordId,
    document_id: p.documentId,
    version: p.version,
    status: 'current' as const,
    type_code: p.typeCode,
    type_system: p.typeSystem,
    category: p.category,
    title_sealed: sealForRecord(dataKey, recordId, 'document-title', Buffer.from(p.title, 'utf8')),
    title_terms: termsOf(titleIndexKey(dataKey), p.title),
    care_date: p.careDate,
    author_kind: author.kind,
    author_id: author.id,
    ...storedAuthorName(dataKey, recordId, p.documentId, author),
    format: p.format,
    media_type: p.mediaType,
    size_bytes: p.bytes.length,
    sha256: p.sha256,
    masked: (kept?.masked ?? false) || p.flags.masked,
    hidden_from_patient: p.flags.hiddenFromPatient,
    hidden_from_representatives: (kept?.hidden_from_representatives ?? false) || p.flags.hiddenFromRepresentatives,
    blob_key: blobKey,
    created_at: now,
    status_changed_at: null,
    status_changed_by: null,
    unique_id: metadata.uniqueId ?? `urn:uuid:${randomUUID()}`,
    sha1: p.sha1,
    class_code: metadata.classCode ?? null,
    confidentiality: metadata.confidentiality ?? 'N',
    facility_type: metadata.facilityType ?? null,
    practice_setting: metadata.practiceSetting ?? null,
    event_codes: metadata.eventCodes ?? [],
    language: metadata.language ?? null,
    authored_at: instantOrNull(metadata.authoredAt),
    service_start: instantOrNull(metadata.serviceStart),
    service_end: instantOrNull(metadata.serviceEnd),
    source_patient_sealed:
      metadata.sourcePatient === undefined
        ? null
        : sealForRecord(dataKey, recordId, 'document-source-patient', Buffer.from(JSON.stringify(metadata.sourcePatient), 'utf8')),
    submission_set_id: submissionSetId ?? metadata.submissionSetId ?? null,
    author_given: author.given ?? null,
    author_family: author.family ?? null,
    author_profession: author.profession ?? null,
    author_specialty: author.specialty ?? null,
    author_organization: author.organization?.name ?? null,
    author_organization_id: author.organization?.id ?? null,
  };
}

const instantOrNull = (iso: string | undefined) => (iso === undefined ? null : new Date(iso));

async function insertSubmissionSet(trx: Kysely<DocumentTables>, recordId: string, dataKey: Buffer, set: SubmissionSetInput, now: Date): Promise<void> {
  await trx
    .insertInto('submission_set')
    .values({
      record_id: recordId,
      submission_set_id: set.submissionSetId,
      unique_id: set.uniqueId,
      source_id: set.sourceId,
      title_sealed: set.title === null ? null : sealForRecord(dataKey, recordId, 'submission-set-title', Buffer.from(set.title, 'utf8')),
      content_type: set.contentType,
      author_id: set.author.id,
      author_name: set.author.name,
      created_at: now,
    })
    .execute()
    .catch((error: unknown) => {
      if (isUniqueViolation(error, 'submission_set_unique_id')) {
        throw new AppError(409, 'duplicate-submission-set', 'Lot déjà déposé', 'Un lot de soumission portant cet identifiant unique (uniqueId) a déjà été déposé dans ce DMP.', [
          { field: 'submissionSet.uniqueId', message: 'Identifiant unique du lot déjà employé.' },
        ]);
      }
      throw error;
    });
}

/** Marks the replaced version; returns its flags, which belong to the document and so carry over. */
async function markReplaced(
  trx: Kysely<DocumentTables>,
  recordId: string,
  replaced: { documentId: string; version: number },
  author: Author,
  now: Date,
) {
  const updated = await trx
    .updateTable('document')
    .set({ status: 'replaced', status_changed_at: now, status_changed_by: author.id })
    .where('record_id', '=', recordId)
    .where('document_id', '=', replaced.documentId)
    .where('version', '=', replaced.version)
    .where('status', '=', 'current')
    .returning(['masked', 'hidden_from_patient', 'hidden_from_representatives'])
    .executeTakeFirst();
  if (!updated) throw new AppError(409, 'conflict', 'Document déjà remplacé', 'Ce document a déjà été remplacé ou supprimé.');
  return updated;
}

interface Described {
  typeCode: string;
  title: string;
  careDate: string | undefined;
  flags: { masked: boolean; hiddenFromPatient: boolean; hiddenFromRepresentatives: boolean };
}

const NO_FLAGS = { masked: false, hiddenFromPatient: false, hiddenFromRepresentatives: false };

/** What the document says of itself (a CDA header) completed by what the depositor said. */
const TITLE_MAX = 200;

function checkCareDate(careDate: string | undefined, today: string): void {
  if (careDate === undefined) return;
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(careDate) && !Number.isNaN(Date.parse(careDate + 'T00:00:00Z')) && new Date(careDate + 'T00:00:00Z').toISOString().startsWith(careDate);
  if (!valid) throw invalidField('careDate', 'La date des soins est incorrecte. Exemple : 2026-03-12.');
  if (careDate > today) throw invalidField('careDate', 'La date des soins ne peut pas être dans le futur.');
}

const FORMAT_NAMES: Record<DocumentFormat, string> = { pdf: 'un PDF', cda: 'un document CDA R2 (XML)', text: 'un texte', jpeg: 'une image JPEG', png: 'une image PNG' };

/** The sender's description against the bytes: a mismatch is refused, never corrected silently. */
function checkDeclared(declared: { mediaType: string; typeCode: string }, format: DocumentFormat, header: CdaHeader | undefined): void {
  if (!mediaTypeFits(format, declared.mediaType)) {
    throw mismatch('contentType', `Le type de contenu annoncé (${declared.mediaType}) ne correspond pas au document envoyé, qui est ${FORMAT_NAMES[format]}.`);
  }
  if (format === 'cda' && header && header.typeCode.code !== declared.typeCode) {
    throw mismatch('typeCode', `Le type de document annoncé (${declared.typeCode}) n’est pas celui de l’en-tête du document CDA (${header.typeCode.code}).`);
  }
}

const mismatch = (field: string, message: string) => new AppError(422, 'invalid-field', 'Information incorrecte', message, [{ field, message }]);

function describe(format: string, header: CdaHeader | undefined, input: DepositInput, target: DepositTarget, today: string): Described {
  checkCareDate(input.careDate || undefined, today);
  if (input.title && input.title.trim().length > TITLE_MAX) {
    throw invalidField('title', `Le titre est trop long : ${TITLE_MAX} caractères au plus.`);
  }
  if (format !== 'cda' || !header) {
    if (!input.typeCode) throw invalidField('typeCode', 'Choisissez le type du document.');
    const title = input.title?.trim();
    if (!title) throw invalidField('title', 'Donnez un titre au document.');
    return { typeCode: input.typeCode, title, careDate: input.careDate, flags: NO_FLAGS };
  }
  const ins = header.patient.ins?.extension;
  if (ins && ins !== target.insMatricule) {
    throw invalidField('file', 'Ce document concerne un autre patient : son INS n’est pas celui de ce DMP.');
  }
  const confidentiality = header.confidentiality.code;
  return {
    typeCode: input.typeCode ?? header.typeCode.code,
    title: input.title?.trim() || header.title || header.typeCode.displayName,
    careDate: input.careDate ?? header.effectiveTime?.slice(0, 10),
    flags: {
      masked: confidentiality === 'MASQUE_PS',
      hiddenFromPatient: confidentiality === 'INVISIBLE_PATIENT',
      hiddenFromRepresentatives: confidentiality === 'INVISIBLE_REPRESENTANTS_LEGAUX',
    },
  };
}
