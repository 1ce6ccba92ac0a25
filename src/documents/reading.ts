import { sql, type ExpressionBuilder, type Kysely, type RawBuilder, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { AppContext } from '../platform';
import { notFound } from '../platform';
import type { BlobStore } from './blob-store';
import { titleIndexKey } from './deposit';
import { dataKeyFor, openForRecord } from '../platform';
import { shownAuthorName } from './author-name';
import { readSealed } from './sealed-blobs';
import type { Confidentiality, DocumentFormat, DocumentStatus, DocumentTables } from './tables';
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
  /**
   * The finer criteria of a registry search (IHE MHD ITI-67): each list is an OR-list (any of its
   * values matches), several lists must all match; an empty list matches nothing.
   */
  search?: DocumentSearch;
  limit: number;
  offset: number;
}

/** One coded value asked for (a FHIR token): `system|code`, a code in any system, or any code of a system. */
export type CodeMatch = { system: string; code: string } | { system?: undefined; code: string } | { system: string; code?: undefined };

/**
 * A date criterion, as FHIR R4 searches dates (search.html#date): the value asked for is the
 * range [start, end) its precision implies (2026-02 is the whole month); `op` its prefix
 * (`ap`, approximately, arrives here as `eq` on the widened range).
 */
export interface DateCriterion {
  op: 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb';
  start: Date;
  end: Date;
}

/** A FHIR string search: case and accents ignored, the value starts the name (default), is it exactly, or is in it. */
export interface NameMatch {
  value: string;
  mode: 'start' | 'exact' | 'contains';
}

export type DocumentLabel = 'masked' | 'hiddenFromPatient' | 'hiddenFromRepresentatives';

export interface DocumentSearch {
  /** Replaces `includeHistory`: the statuses asked for (a deleted document is never listed). */
  statuses?: Exclude<DocumentStatus, 'deleted'>[];
  /** Identifiers: the document's uniqueId (masterIdentifier), or one version of it (its FHIR id). */
  identifiers?: { uniqueIds: string[]; versions: { documentId: string; version: number }[] }[];
  typeCodes?: string[][];
  /** The patient-facing category or the XDS class code (FHIR `category` carries both). */
  classifications?: { categories: string[]; classCodes: CodeMatch[] }[];
  facilityTypes?: CodeMatch[][];
  practiceSettings?: CodeMatch[][];
  eventCodes?: CodeMatch[][];
  /** The confidentiality code (N, R, V) or one of the DMP's visibility labels. */
  securityLabels?: { confidentiality: Confidentiality[]; labels: DocumentLabel[] }[];
  formats?: DocumentFormat[][];
  /** On the date of care (the period of the act: one day here). */
  careDates?: DateCriterion[];
  /** On the time the document was registered (DocumentReference.date and attachment.creation). */
  registered?: DateCriterion[];
  authorGiven?: NameMatch[][];
  authorFamily?: NameMatch[][];
  submissionSetIds?: string[];
  /** The order, first key first; by default the date of care, newest first. */
  sort?: { by: 'careDate' | 'registered'; descending: boolean }[];
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
  /** How many times this version's metadata (status, labels) changed, from 1: FHIR meta.versionId. */
  metaVersion: number;
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
  /** XDS creationTime, serviceStartTime, serviceStopTime (ISO instants), null when not given with a time (0020). */
  authoredAt: string | null;
  serviceStart: string | null;
  serviceEnd: string | null;
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
type DocumentQuery<O = object> = SelectQueryBuilder<DocumentTables, 'document', O>;
type DocumentExpressions = ExpressionBuilder<DocumentTables, 'document'>;

export async function listDocuments(
  ctx: AppContext,
  recordId: string,
  visibility: Visibility,
  filters: DocumentFilters,
): Promise<{ total: number; documents: DocumentSummary[] }> {
  const dataKey = await dataKeyFor(ctx.database.db, ctx.masterKey, recordId, ctx.clock.now());
  const db = ctx.database.db.withTables<DocumentTables>();
  let query = db.selectFrom('document').where('record_id', '=', recordId);
  const statuses = filters.search?.statuses;
  if (statuses) query = statuses.length ? query.where('status', 'in', statuses) : query.where(NOTHING);
  else query = filters.includeHistory ? query.where('status', '!=', 'deleted') : query.where('status', '=', 'current');
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
  if (filters.search) query = applySearch(query, filters.search);
  query = query.where((eb) => visibleTo(eb, visibility));

  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ordered(query.selectAll(), filters.search?.sort)
      .limit(filters.limit)
      .offset(filters.offset)
      .execute(),
  ]);
  return { total: Number(count?.n ?? 0), documents: rows.map((r) => summarize(dataKey, r)) };
}

/** The documents a viewer may see under the policy's flags (SQL of `Visibility`), for every list of documents. */
export function visibleTo(eb: DocumentExpressions, visibility: Visibility) {
  const hidden = [];
  if (visibility.excludeHiddenFromPatient) hidden.push(eb('hidden_from_patient', '=', true));
  if (visibility.excludeHiddenFromRepresentatives) hidden.push(eb('hidden_from_representatives', '=', true));
  if (visibility.excludeMasked) hidden.push(eb('masked', '=', true));
  const categories = visibility.categories ? eb('category', 'in', visibility.categories.length ? visibility.categories : ['']) : eb.val(true);
  if (!hidden.length) return categories;
  const visible = eb.not(eb.or(hidden));
  return eb.and([categories, visibility.authorId ? eb.or([visible, eb('author_id', '=', visibility.authorId)]) : visible]);
}

const NOTHING = sql<boolean>`false`;
const LABEL_COLUMN = { masked: 'masked', hiddenFromPatient: 'hidden_from_patient', hiddenFromRepresentatives: 'hidden_from_representatives' } as const;

function applySearch(query: DocumentQuery, search: DocumentSearch): DocumentQuery {
  let q = query;
  for (const group of search.identifiers ?? []) {
    q = q.where((eb) =>
      eb.or([
        ...(group.uniqueIds.length ? [eb('unique_id', 'in', group.uniqueIds)] : []),
        ...group.versions.map((v) => eb.and([eb('document_id', '=', v.documentId), eb('version', '=', v.version)])),
        NOTHING,
      ]),
    );
  }
  for (const codes of search.typeCodes ?? []) q = q.where((eb) => (codes.length ? eb('type_code', 'in', codes) : NOTHING));
  for (const group of search.classifications ?? []) {
    q = q.where((eb) =>
      eb.or([...(group.categories.length ? [eb('category', 'in', group.categories)] : []), ...group.classCodes.map((m) => codeMatches(sql.ref('class_code'), m)), NOTHING]),
    );
  }
  for (const codes of search.facilityTypes ?? []) q = q.where(anyCode(sql.ref('facility_type'), codes));
  for (const codes of search.practiceSettings ?? []) q = q.where(anyCode(sql.ref('practice_setting'), codes));
  for (const codes of search.eventCodes ?? []) {
    // Any of the document's event codes matches any of those asked for.
    q = q.where(codes.length ? sql<boolean>`exists (select 1 from unnest(event_codes) as event(code) where ${anyCode(sql.ref('event.code'), codes)})` : NOTHING);
  }
  for (const group of search.securityLabels ?? []) {
    q = q.where((eb) =>
      eb.or([...(group.confidentiality.length ? [eb('confidentiality', 'in', group.confidentiality)] : []), ...group.labels.map((l) => eb(LABEL_COLUMN[l], '=', true)), NOTHING]),
    );
  }
  for (const formats of search.formats ?? []) q = q.where((eb) => (formats.length ? eb('format', 'in', formats) : NOTHING));
  for (const c of search.careDates ?? []) q = q.where(dateMatches(sql.ref('care_date'), c, floorDay, ceilDay));
  for (const c of search.registered ?? []) q = q.where(dateMatches(sql.ref('created_at'), c, (d) => d, (d) => d));
  for (const names of search.authorGiven ?? []) q = q.where(anyName(sql.ref('author_given'), names));
  for (const names of search.authorFamily ?? []) q = q.where(anyName(sql.ref('author_family'), names));
  const sets = search.submissionSetIds;
  if (sets) q = q.where((eb) => (sets.length ? eb('submission_set_id', 'in', sets) : NOTHING));
  return q;
}

function ordered<O>(query: DocumentQuery<O>, sort: DocumentSearch['sort']): DocumentQuery<O> {
  let q = query;
  for (const key of sort?.length ? sort : [{ by: 'careDate' as const, descending: true }]) {
    q = q.orderBy(key.by === 'careDate' ? 'care_date' : 'created_at', key.descending ? 'desc' : 'asc');
  }
  return q.orderBy('document_id').orderBy('version', 'desc');
}

/**
 * A "system|code" value (codes are kept so, the system as a FHIR coding writes it) against one
 * coded value asked for. A system never holds a "|" (a URI or urn:oid), so the first one splits.
 */
export function codeMatches(value: RawBuilder<unknown>, match: CodeMatch): RawBuilder<boolean> {
  if (match.system !== undefined && match.code !== undefined) return sql<boolean>`${value} = ${`${match.system}|${match.code}`}`;
  if (match.code !== undefined) return sql<boolean>`(strpos(${value}, '|') > 0 and substr(${value}, strpos(${value}, '|') + 1) = ${match.code})`;
  return sql<boolean>`(strpos(${value}, '|') > 0 and substr(${value}, 1, strpos(${value}, '|') - 1) = ${match.system})`;
}

export function anyCode(value: RawBuilder<unknown>, codes: CodeMatch[]): RawBuilder<boolean> {
  return codes.length ? sql<boolean>`(${sql.join(codes.map((c) => codeMatches(value, c)), sql` or `)})` : NOTHING;
}

/**
 * The FHIR prefixes on a target that is a day (the date of care: [day, day + 1)) or an instant,
 * against the range [low, high) of the value asked for: each comes down to one or two
 * comparisons with its bounds (for a day, the range is taken out to whole days).
 */
export function dateMatches<V>(column: RawBuilder<unknown>, c: DateCriterion, lowOf: (d: Date) => V, highOf: (d: Date) => V): RawBuilder<boolean> {
  const low = lowOf(c.start);
  const high = highOf(c.end);
  const inside = sql<boolean>`(${column} >= ${low} and ${column} < ${high})`;
  switch (c.op) {
    case 'eq':
      return inside;
    case 'ne':
      return sql<boolean>`not ${inside}`;
    case 'gt':
    case 'sa':
      return sql<boolean>`${column} >= ${high}`;
    case 'lt':
    case 'eb':
      return sql<boolean>`${column} < ${low}`;
    case 'ge':
      return sql<boolean>`${column} >= ${low}`;
    case 'le':
      return sql<boolean>`${column} < ${high}`;
  }
}

const floorDay = (d: Date) => d.toISOString().slice(0, 10);

/** The first day at or after this instant (the end of a range, exclusive, in whole days). */
function ceilDay(d: Date): string {
  const day = floorDay(d);
  const midnight = Date.parse(`${day}T00:00:00Z`);
  return d.getTime() === midnight ? day : floorDay(new Date(midnight + 86_400_000));
}

/** Case and accents ignored on both sides (FHIR string search), in SQL both PostgreSQL and PGlite have. */
const ACCENTED = 'àáâäãåçèéêëìíîïñòóôöõùúûüýÿÀÁÂÄÃÅÇÈÉÊËÌÍÎÏÑÒÓÔÖÕÙÚÛÜÝ';
const PLAIN = 'aaaaaaceeeeiiiinooooouuuuyyaaaaaaceeeeiiiinooooouuuuy';
const plainName = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

export function anyName(column: RawBuilder<unknown>, names: NameMatch[]): RawBuilder<boolean> {
  if (!names.length) return NOTHING;
  // Accents first (lower() of a non-ASCII letter depends on the database's locale), then the case.
  const plain = sql`lower(translate(${column}, ${ACCENTED}, ${PLAIN}))`;
  const escaped = (v: string) => plainName(v).replace(/[\\%_]/g, (ch) => `\\${ch}`);
  const one = (n: NameMatch) =>
    n.mode === 'exact'
      ? sql<boolean>`${column} = ${n.value}`
      : sql<boolean>`${plain} like ${n.mode === 'start' ? `${escaped(n.value)}%` : `%${escaped(n.value)}%`} escape '\\'`;
  return sql<boolean>`(${sql.join(names.map(one), sql` or `)})`;
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
    author: { kind: r.author_kind, id: r.author_id, name: shownAuthorName(dataKey, r) },
    format: r.format,
    mediaType: r.media_type,
    sizeBytes: Number(r.size_bytes),
    sha256: Buffer.from(r.sha256).toString('hex'),
    masked: r.masked,
    hiddenFromPatient: r.hidden_from_patient,
    hiddenFromRepresentatives: r.hidden_from_representatives,
    createdAt: r.created_at.toISOString(),
    metaVersion: r.meta_version,
    sharing: {
      uniqueId: r.unique_id,
      sha1: r.sha1 ? Buffer.from(r.sha1).toString('hex') : null,
      classCode: r.class_code,
      confidentiality: r.confidentiality,
      facilityType: r.facility_type,
      practiceSetting: r.practice_setting,
      eventCodes: r.event_codes,
      language: r.language,
      authoredAt: r.authored_at?.toISOString() ?? null,
      serviceStart: r.service_start?.toISOString() ?? null,
      serviceEnd: r.service_end?.toISOString() ?? null,
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
