import { randomUUID } from 'node:crypto';
import type { AppContext } from '../platform';
import { AppError, invalidField, notFound } from '../platform';
import type { BlobStore } from './blob-store';
import { documentType } from '../../shared/catalogue';
import { commitDeposits, prepareDeposit, type Author, type DepositedDocument, type DescribedDeposit, type PreparedDeposit, type SharingMetadata, type SubmissionSetInput } from './deposit';
import { findDocument, listDocuments, type DocumentFilters, type DocumentSummary } from './reading';
import type { DocumentTables } from './tables';
import { traceAndNotify } from '../events';
import type { Professional } from '../accounts';
import { documentState, summaryState } from '../access';
import type { DocumentCategory } from '../access';
import { professionalAccess, type ProfessionalAccess } from '../access';

/**
 * A professional's reading and feeding of a record's documents, decided by the policy and
 * traced, shared by the JSON API (api/professional) and the FHIR API (api/fhir): one decision,
 * one trace, whatever the door.
 */

/** The documents this professional may see, the list traced as a whole (`read-list`). */
export async function listDocumentsForProfessional(
  ctx: AppContext,
  access: ProfessionalAccess,
  recordId: string,
  filters: DocumentFilters,
): Promise<{ total: number; documents: DocumentSummary[]; explanation: string }> {
  const { explanation } = await access.check('list');
  // The same rules as the policy, as SQL filters so that paging stays right; each line is checked again below.
  const list = await listDocuments(ctx, recordId, access.visibility, filters);
  const documents = list.documents.filter((d) => access.allows('read', summaryState(d)));
  return { total: list.total, documents, explanation };
}

/** One document's row, once the policy allowed this professional to open it (traced `open-document`). */
export async function readableDocument(ctx: AppContext, me: Professional, recordId: string, documentId: string, version?: number) {
  const access = await professionalAccess(ctx, me, recordId);
  const row = await findDocument(ctx, recordId, documentId, version);
  await access.check('read', documentState(row));
  return row;
}

export interface ProfessionalDepositInput {
  bytes: Buffer;
  typeCode: string | undefined;
  title?: string | undefined;
  careDate?: string | undefined;
  /** Undefined: left to the document itself (a CDA's confidentiality code). */
  masked?: boolean | undefined;
  hiddenFromPatient?: boolean | undefined;
  hiddenFromRepresentatives?: boolean | undefined;
  /** What practice software says of the document (IHE MHD); none from our own screens. */
  metadata?: SharingMetadata;
}

/** The professional as a document's author (XDS author): name, profession, specialty, workplace. */
export function professionalAuthor(me: Professional): Author {
  return {
    kind: 'professional',
    id: me.rpps,
    name: me.name,
    given: me.firstName,
    family: me.lastName,
    profession: me.profession,
    ...(me.specialty ? { specialty: me.specialty } : {}),
    organization: { name: me.workplace.name, ...(me.workplace.finess ? { id: me.workplace.finess } : {}) },
  };
}

/** A new document from this professional: type checked, deposit decided, stored and traced in one transaction. */
export async function depositAsProfessional(
  ctx: AppContext,
  store: BlobStore,
  access: ProfessionalAccess,
  me: Professional,
  recordId: string,
  input: ProfessionalDepositInput,
): Promise<DepositedDocument> {
  const { documents } = await depositBundleAsProfessional(ctx, store, access, me, recordId, { documents: [input] });
  return documents[0]!;
}

export interface BundledDocument extends ProfessionalDepositInput {
  /** The version this document replaces (MHD relatesTo `replaces`): it becomes `replaced`. */
  replaces?: { documentId: string; version: number };
  /** What the sender said the bytes are, checked against them (see DepositInput.declared). */
  declared?: { mediaType: string; typeCode: string };
}

export interface ProfessionalSubmission {
  documents: BundledDocument[];
  /** The submission set they came in (an ITI-65 List); its author is this professional. */
  submissionSet?: Omit<SubmissionSetInput, 'submissionSetId' | 'author'>;
}

/**
 * Several documents from this professional, all or none (IHE MHD ITI-65, §2:3.65.4.1.3: the
 * bundle is processed atomically): each is decided by the policy as a single deposit is (a
 * replacement as the JSON API's new version is: `replace` on the old one), then every one is
 * stored, with its trace, in one transaction. A refusal names the document: `documents[i]…`.
 */
export async function depositBundleAsProfessional(
  ctx: AppContext,
  store: BlobStore,
  access: ProfessionalAccess,
  me: Professional,
  recordId: string,
  submission: ProfessionalSubmission,
): Promise<{ submissionSetId: string | null; documents: DepositedDocument[] }> {
  const author = professionalAuthor(me);
  const target = { recordId, insMatricule: access.loaded.facts.insMatricule };
  const rules: string[] = [];
  const prepared: PreparedDeposit[] = [];
  for (const [index, input] of submission.documents.entries()) {
    try {
      prepared.push(await prepareProfessionalDeposit(ctx, access, me, author, target, input, (rule) => (rules[index] = rule)));
    } catch (error) {
      throw submission.documents.length > 1 || submission.submissionSet ? namingDocument(error, index) : error;
    }
  }
  const submissionSetId = submission.submissionSet ? randomUUID() : null;
  const documents = await commitDeposits(ctx, store, recordId, prepared, {
    ...(submission.submissionSet && submissionSetId ? { submissionSet: { ...submission.submissionSet, submissionSetId, author: { id: me.rpps, name: me.name } } } : {}),
    onStored: async (trx, stored) => {
      for (const [index, document] of stored.entries()) {
        await traceAndNotify(ctx, trx, {
          recordId,
          actorKind: 'professional',
          actorId: me.rpps,
          action: submission.documents[index]!.replaces ? 'replace' : 'deposit',
          documentId: document.documentId,
          rule: rules[index]!,
          allowed: true,
          personal: { actorName: me.name, profession: me.profession, workplace: me.workplace.name },
        });
      }
    },
  });
  return { submissionSetId, documents };
}

async function prepareProfessionalDeposit(
  ctx: AppContext,
  access: ProfessionalAccess,
  me: Professional,
  author: Author,
  target: { recordId: string; insMatricule: string },
  input: BundledDocument,
  decided: (rule: string) => void,
): Promise<PreparedDeposit> {
  const type = input.typeCode ? documentType(input.typeCode) : null;
  if (!type) throw invalidField('typeCode', 'Ce type de document n’existe pas dans la liste officielle des types de documents.');
  const replaced = input.replaces ? await replacedVersion(ctx, access, target.recordId, input.replaces) : null;
  if (replaced) decided(replaced.rule);
  const action = replaced ? 'replace' : 'deposit';
  // Decided on the document as its bytes describe it (a CDA's header included), before it is stored;
  // a new version is decided as a deposit too, so that it never brings what a deposit could not.
  const authorize = async (described: DescribedDeposit) => {
    const decision = await access.check(
      'deposit',
      {
        id: 'new',
        category: described.category as DocumentCategory,
        authorId: me.rpps,
        authorKind: 'professional',
        masked: described.masked,
        hiddenFromPatient: described.hiddenFromPatient,
        hiddenFromRepresentatives: described.hiddenFromRepresentatives,
        status: 'current',
      },
      { action, documentId: replaced?.documentId ?? null, tracedOnSuccessBy: 'caller' },
    );
    if (!replaced) decided(decision.rule);
  };
  return prepareDeposit(
    ctx,
    author,
    target,
    {
      bytes: input.bytes,
      typeCode: input.typeCode,
      title: input.title,
      careDate: input.careDate,
      masked: input.masked,
      hiddenFromPatient: input.hiddenFromPatient,
      hiddenFromRepresentatives: input.hiddenFromRepresentatives,
      authorize,
      ...(input.metadata ? { metadata: input.metadata } : {}),
      ...(input.declared ? { declared: input.declared } : {}),
    },
    replaced ? { documentId: replaced.documentId, version: replaced.version } : undefined,
  );
}

/**
 * The version a new one replaces, decided as the JSON API's new version is (`replace`: the
 * author, on a current document); one already replaced or deleted is a conflict (409), and a
 * document of another record is not found, like any other.
 */
async function replacedVersion(ctx: AppContext, access: ProfessionalAccess, recordId: string, replaces: { documentId: string; version: number }) {
  const row = await findDocument(ctx, recordId, replaces.documentId, replaces.version);
  if (row.version !== replaces.version) throw notFound('Ce document n’existe pas dans ce DMP.');
  const decision = await access.check('replace', documentState(row), {
    action: 'replace',
    documentId: row.document_id,
    tracedOnSuccessBy: 'caller',
    refuse: (refused) =>
      refused.rule === 'document-not-current' || refused.rule === 'document-deleted'
        ? new AppError(409, 'conflict', 'Document déjà remplacé', 'Ce document a déjà été remplacé ou supprimé : seule sa version en cours peut être remplacée.')
        : new AppError(403, 'access-denied', 'Accès refusé', refused.explanation),
  });
  return { documentId: row.document_id, version: row.version, rule: decision.rule };
}

/** The same refusal, saying which document of the submission it was about. */
function namingDocument(error: unknown, index: number): unknown {
  if (!(error instanceof AppError)) return error;
  const fields = error.errors?.length ? error.errors : [{ field: '', message: error.detail ?? error.title }];
  return new AppError(
    error.status,
    error.type,
    error.title,
    error.detail,
    fields.map((f) => ({ field: f.field ? `documents[${index}].${f.field}` : `documents[${index}]`, message: f.message })),
  );
}

/** The document version a uniqueId names in this record (XDS uniqueId, FHIR masterIdentifier), if any. */
export async function documentIdOfUniqueId(ctx: AppContext, recordId: string, uniqueId: string): Promise<{ documentId: string; version: number } | null> {
  const row = await ctx.database.db
    .withTables<DocumentTables>()
    .selectFrom('document')
    .select(['document_id', 'version'])
    .where('record_id', '=', recordId)
    .where('unique_id', '=', uniqueId)
    .executeTakeFirst();
  return row ? { documentId: row.document_id, version: row.version } : null;
}
