import { sql, type Kysely, type Selectable } from 'kysely';
import type { AppContext } from '../platform';
import { notFound } from '../platform';
import type { BlobStore } from './blob-store';
import { titleIndexKey } from './deposit';
import { dataKeyFor, openForRecord } from '../platform';
import { readSealed } from './sealed-blobs';
import type { Confidentiality, DocumentTables } from './tables';
import { termsOf } from './title-terms';

/**
 * Reading a record's documents: a filtered, paged list and the content of one.
 * Which documents a viewer may see is decided by the access policy; this
 * module applies the document flags it is given (`visibility`).
 */

export interface Visibility {
  /** Hide documents "not visible to the patient" (the patient, their representatives). */
  excludeHiddenFromPatient: boolean;
  excludeHiddenFromRepresentatives: boolean;
  /** Hide documents masked from professionals (a professional who is neither author nor treating doctor). */
  excludeMasked: boolean;
  /** Documents the viewer authored stay visible despite the flags above. */
  authorId?: string;
  /** Only these categories (the profession's row of the matrix); all when absent. */
  categories?: string[];
}

export interface DocumentFilters {
  category?: string;
  typeCode?: string;
  from?: string;
  to?: string;
  authorId?: string;
  words?: string;
  includeHistory?: boolean;
  limit: number;
  offset: number;
}

export interface DocumentSummary {
  documentId: string;
  version: number;
  status: string;
  title: string;
  typeCode: string;
  category: string;
  careDate: string;
  author: { kind: string; id: string; name: string };
  format: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  masked: boolean;
  hiddenFromPatient: boolean;
  hiddenFromRepresentatives: boolean;
  createdAt: string;
  /** Sharing metadata (XDS / MHD, migration 0014). */
  sharing: SharingSummary;
}

/** What the registry says of a document beside its content: codes as "system|code", null when not given. */
export interface SharingSummary {
  uniqueId: string | null;
  /** SHA-1 of the bytes, hex (XDS hash); null on rows written before it was kept. */
  sha1: string | null;
  classCode: string | null;
  confidentiality: Confidentiality;
  facilityType: string | null;
  practiceSetting: string | null;
  eventCodes: string[];
  language: string | null;
  submissionSetId: string | null;
  /** The author as XDS describes a person: codes as the directory writes them (G15_10, SM54). */
  author: {
    given: string | null;
    family: string | null;
    profession: string | null;
    specialty: string | null;
    organization: { name: string; id: string | null } | null;
  };
}

type Row = Selectable<DocumentTables['document']>;

export async function listDocuments(
  ctx: AppContext,
  recordId: string,
  visibility: Visibility,
  filters: DocumentFilters,
): Promise<{ total: number; documents: DocumentSummary[] }> {
  const dataKey = await dataKeyFor(ctx.database.db, ctx.masterKey, recordId, ctx.clock.now());
  const db = ctx.database.db.withTables<DocumentTables>();
  let query = db.selectFrom('document').where('record_id', '=', recordId);
  query = filters.includeHistory ? query.where('status', '!=', 'deleted') : query.where('status', '=', 'current');
  if (filters.category) query = query.where('category', '=', filters.category);
  if (filters.typeCode) query = query.where('type_code', '=', filters.typeCode);
  if (filters.from) query = query.where('care_date', '>=', filters.from);
  if (filters.to) query = query.where('care_date', '<=', filters.to);
  if (filters.authorId) query = query.where('author_id', '=', filters.authorId);
  if (filters.words) {
    const terms = termsOf(titleIndexKey(dataKey), filters.words);
    // Passed as one array parameter (a plain JS array would become a list of values).
    if (terms.length) query = query.where('title_terms', '@>', sql<string[]>`${sql.val(terms)}::text[]`);
  }
  if (visibility.categories) query = query.where('category', 'in', visibility.categories.length ? visibility.categories : ['']);
  query = query.where((eb) => {
    const hidden = [];
    if (visibility.excludeHiddenFromPatient) hidden.push(eb('hidden_from_patient', '=', true));
    if (visibility.excludeHiddenFromRepresentatives) hidden.push(eb('hidden_from_representatives', '=', true));
    if (visibility.excludeMasked) hidden.push(eb('masked', '=', true));
    if (!hidden.length) return eb.val(true);
    const visible = eb.not(eb.or(hidden));
    return visibility.authorId ? eb.or([visible, eb('author_id', '=', visibility.authorId)]) : visible;
  });

  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    query
      .selectAll()
      .orderBy('care_date', 'desc')
      .orderBy('document_id')
      .orderBy('version', 'desc')
      .limit(filters.limit)
      .offset(filters.offset)
      .execute(),
  ]);
  return { total: Number(count?.n ?? 0), documents: rows.map((r) => summarize(dataKey, r)) };
}

export async function findDocument(ctx: AppContext, recordId: string, documentId: string, version?: number): Promise<Row> {
  let query = ctx.database.db
    .withTables<DocumentTables>()
    .selectFrom('document')
    .selectAll()
    .where('record_id', '=', recordId)
    .where('document_id', '=', documentId);
  const latest = await query.orderBy('version', 'desc').limit(1).executeTakeFirst();
  const row = version && latest && latest.version !== version ? await query.where('version', '=', version).executeTakeFirst() : latest;
  if (!row || !latest || (row.status === 'deleted' && !version)) throw notFound('Ce document n’existe pas dans ce DMP.');
  return row === latest ? row : asOfDocument(row, latest);
}

/**
 * An earlier version, judged as the document: its flags are the latest version's, and it is
 * deleted if the document is (rows written before flags were kept on every version may disagree).
 */
function asOfDocument(row: Row, latest: Row): Row {
  return {
    ...row,
    masked: latest.masked,
    hidden_from_patient: latest.hidden_from_patient,
    hidden_from_representatives: latest.hidden_from_representatives,
    status: latest.status === 'deleted' ? 'deleted' : row.status,
  };
}

export async function describeDocument(ctx: AppContext, row: Row): Promise<DocumentSummary> {
  const dataKey = await dataKeyFor(ctx.database.db, ctx.masterKey, row.record_id, ctx.clock.now());
  return summarize(dataKey, row);
}

export async function documentVersions(ctx: AppContext, recordId: string, documentId: string): Promise<DocumentSummary[]> {
  const dataKey = await dataKeyFor(ctx.database.db, ctx.masterKey, recordId, ctx.clock.now());
  const rows = await ctx.database.db
    .withTables<DocumentTables>()
    .selectFrom('document')
    .selectAll()
    .where('record_id', '=', recordId)
    .where('document_id', '=', documentId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => summarize(dataKey, r));
}

export async function readDocumentContent(ctx: AppContext, store: BlobStore, row: Row): Promise<Buffer> {
  const dataKey = await dataKeyFor(ctx.database.db, ctx.masterKey, row.record_id, ctx.clock.now());
  return readSealed(store, row.blob_key, dataKey, row.blob_key);
}

function summarize(dataKey: Buffer, r: Row): DocumentSummary {
  return {
    documentId: r.document_id,
    version: r.version,
    status: r.status,
    title: openForRecord(dataKey, r.record_id, 'document-title', Buffer.from(r.title_sealed)).toString('utf8'),
    typeCode: r.type_code,
    category: r.category,
    careDate: r.care_date,
    author: { kind: r.author_kind, id: r.author_id, name: r.author_name },
    format: r.format,
    mediaType: r.media_type,
    sizeBytes: Number(r.size_bytes),
    sha256: Buffer.from(r.sha256).toString('hex'),
    masked: r.masked,
    hiddenFromPatient: r.hidden_from_patient,
    hiddenFromRepresentatives: r.hidden_from_representatives,
    createdAt: r.created_at.toISOString(),
    sharing: {
      uniqueId: r.unique_id,
      sha1: r.sha1 ? Buffer.from(r.sha1).toString('hex') : null,
      classCode: r.class_code,
      confidentiality: r.confidentiality,
      facilityType: r.facility_type,
      practiceSetting: r.practice_setting,
      eventCodes: r.event_codes,
      language: r.language,
      submissionSetId: r.submission_set_id,
      author: {
        given: r.author_given,
        family: r.author_family,
        profession: r.author_profession,
        specialty: r.author_specialty,
        organization: r.author_organization ? { name: r.author_organization, id: r.author_organization_id } : null,
      },
    },
  };
}

/** Where every version of the record's documents lies in the blob store (deleted ones included). */
export async function blobKeysOfRecord(db: Kysely<any>, recordId: string): Promise<string[]> {
  const rows = await (db as Kysely<DocumentTables>).selectFrom('document').select('blob_key').distinct().where('record_id', '=', recordId).execute();
  return rows.map((r) => r.blob_key);
}
