import type { AppContext } from '../platform';
import { invalidField } from '../platform';
import type { BlobStore } from './blob-store';
import { documentType } from '../../shared/catalogue';
import { depositDocument, type Author, type DepositedDocument, type DescribedDeposit, type SharingMetadata } from './deposit';
import { findDocument, listDocuments, type DocumentFilters, type DocumentSummary } from './reading';
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
  const type = input.typeCode ? documentType(input.typeCode) : null;
  if (!type) throw invalidField('typeCode', 'Ce type de document n’existe pas dans la liste officielle des types de documents.');
  const flags = { masked: input.masked, hiddenFromPatient: input.hiddenFromPatient, hiddenFromRepresentatives: input.hiddenFromRepresentatives };
  let rule = '';
  // Decided on the document as its bytes describe it (a CDA's header included), before it is stored.
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
      { action: 'deposit', tracedOnSuccessBy: 'caller' },
    );
    rule = decision.rule;
  };
  return depositDocument(
    ctx,
    store,
    professionalAuthor(me),
    { recordId, insMatricule: access.loaded.facts.insMatricule },
    { bytes: input.bytes, typeCode: input.typeCode, title: input.title, careDate: input.careDate, ...flags, authorize, ...(input.metadata ? { metadata: input.metadata } : {}) },
    undefined,
    (trx, documentId) =>
      traceAndNotify(ctx, trx, {
        recordId,
        actorKind: 'professional',
        actorId: me.rpps,
        action: 'deposit',
        documentId,
        rule,
        allowed: true,
        personal: { actorName: me.name, profession: me.profession, workplace: me.workplace.name },
      }),
  );
}
