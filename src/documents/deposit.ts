import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext } from '../platform';
import { deriveKey } from '../platform';
import { AppError, invalidField, isUniqueViolation } from '../platform';
import type { BlobStore } from './blob-store';
import { documentType } from '../../shared/catalogue';
import type { CdaHeader } from './cda';
import { inspectUpload } from './inspection';
import { dataKeyFor, sealForRecord } from '../platform';
import { storeSealed } from './sealed-blobs';
import type { AuthorKind, Confidentiality, DocumentTables } from './tables';
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
  const { detected, header, cdaError } = await inspectUpload(input.bytes);
  if ('error' in detected && detected.invalidContent) throw invalidField('file', detected.error);
  if ('error' in detected) throw new AppError(415, 'unsupported-format', 'Format non accepté', detected.error);
  if (cdaError) throw invalidField('file', cdaError);
  const meta = describe(detected.format, header, { ...input, careDate: input.careDate || undefined }, target, ctx.clock.now().toISOString().slice(0, 10));
  const type = documentType(meta.typeCode);
  if (!type) throw invalidField('typeCode', 'Ce type de document n’existe pas dans la liste officielle des types de documents.');

  const flags = {
    masked: input.masked ?? meta.flags.masked,
    hiddenFromPatient: input.hiddenFromPatient ?? meta.flags.hiddenFromPatient,
    hiddenFromRepresentatives: input.hiddenFromRepresentatives ?? meta.flags.hiddenFromRepresentatives,
  };
  await input.authorize?.({ typeCode: type.code, category: type.category, ...flags });

  const now = ctx.clock.now();
  const db = ctx.database.db.withTables<DocumentTables>();
  const dataKey = await dataKeyFor(ctx.database.db, ctx.masterKey, target.recordId, now);
  const documentId = replaces?.documentId ?? input.documentId ?? randomUUID();
  const version = (replaces?.version ?? 0) + 1;
  const blobKey = `${target.recordId}/${documentId}/${version}`;
  const sha256 = createHash('sha256').update(input.bytes).digest();
  const sha1 = createHash('sha1').update(input.bytes).digest();
  const metadata = input.metadata ?? {};
  await storeSealed(store, blobKey, dataKey, blobKey, input.bytes);
  try {
    await db.transaction().execute(async (trx) => {
      // The patient's masking and the hiding from representatives are the document's, whatever
      // the version: a new version keeps them (the author may still lift «not visible to the patient»).
      const kept = replaces ? await markReplaced(trx, target.recordId, replaces, author, now) : null;
      await trx
        .insertInto('document')
        .values({
          record_id: target.recordId,
          document_id: documentId,
          version,
          status: 'current',
          type_code: type.code,
          type_system: type.codeSystem,
          category: type.category,
          title_sealed: sealForRecord(dataKey, target.recordId, 'document-title', Buffer.from(meta.title, 'utf8')),
          title_terms: termsOf(titleIndexKey(dataKey), meta.title),
          care_date: meta.careDate ?? now.toISOString().slice(0, 10),
          author_kind: author.kind,
          author_id: author.id,
          author_name: author.name,
          format: detected.format,
          media_type: detected.mediaType,
          size_bytes: input.bytes.length,
          sha256,
          masked: (kept?.masked ?? false) || flags.masked,
          hidden_from_patient: flags.hiddenFromPatient,
          hidden_from_representatives: (kept?.hidden_from_representatives ?? false) || flags.hiddenFromRepresentatives,
          blob_key: blobKey,
          created_at: now,
          status_changed_at: null,
          status_changed_by: null,
          unique_id: metadata.uniqueId ?? `urn:uuid:${randomUUID()}`,
          sha1,
          class_code: metadata.classCode ?? null,
          confidentiality: metadata.confidentiality ?? 'N',
          facility_type: metadata.facilityType ?? null,
          practice_setting: metadata.practiceSetting ?? null,
          event_codes: metadata.eventCodes ?? [],
          language: metadata.language ?? null,
          source_patient_sealed:
            metadata.sourcePatient === undefined
              ? null
              : sealForRecord(dataKey, target.recordId, 'document-source-patient', Buffer.from(JSON.stringify(metadata.sourcePatient), 'utf8')),
          submission_set_id: metadata.submissionSetId ?? null,
          author_given: author.given ?? null,
          author_family: author.family ?? null,
          author_profession: author.profession ?? null,
          author_specialty: author.specialty ?? null,
          author_organization: author.organization?.name ?? null,
          author_organization_id: author.organization?.id ?? null,
        })
        .execute()
        .catch((error: unknown) => {
          if (isUniqueViolation(error, 'document_unique_id')) {
            throw new AppError(409, 'duplicate-document', 'Document déjà déposé', 'Un document portant cet identifiant unique (uniqueId) a déjà été déposé dans ce DMP.', [
              { field: 'masterIdentifier', message: 'Identifiant unique déjà employé.' },
            ]);
          }
          throw error;
        });
      await onStored?.(trx, documentId);
    });
  } catch (error) {
    await store.delete(blobKey).catch(() => {});
    throw error;
  }
  return {
    documentId,
    version,
    typeCode: type.code,
    category: type.category,
    format: detected.format,
    sizeBytes: input.bytes.length,
    sha256: sha256.toString('hex'),
  };
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
