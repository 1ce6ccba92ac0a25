import { sql } from 'kysely';
import type { AppContext } from '../platform';
import { dataKeyFor, openForRecord } from '../platform';
import type { ProfessionalAccess } from '../access';
import { summaryState } from '../access';
import { anyCode, anyName, dateMatches, listDocuments, visibleTo, type CodeMatch, type DateCriterion, type DocumentSummary, type NameMatch } from './reading';
import type { DocumentTables } from './tables';

/**
 * The submission sets of a record (what each ITI-65 bundle brought: IHE MHD's SubmissionSet, a
 * FHIR List read by ITI-66), with the documents in them that the reader may see. A set is
 * listed only when it holds at least one such document: its author and date would otherwise
 * tell of a document the reader may not know of (a masked one).
 */

export interface SubmissionSetFilters {
  /** Each an OR-list: the set's uniqueId or its own id (entryUUID, the List id). */
  identifiers?: { uniqueIds: string[]; setIds: string[] }[];
  /** On the submission time (List.date). */
  submitted?: DateCriterion[];
  /** XDS sourceId (the sending system's OID), as written in the set. */
  sourceIds?: string[][];
  /** XDS contentTypeCode (MHD designationType), "system|code". */
  contentTypes?: CodeMatch[][];
  /** On the author's name (the set keeps it whole: given and family names both search it). */
  authorNames?: NameMatch[][];
  limit: number;
  offset: number;
}

export interface SubmissionSetSummary {
  submissionSetId: string;
  uniqueId: string;
  sourceId: string | null;
  title: string | null;
  contentType: string | null;
  author: { id: string; name: string };
  createdAt: string;
  /** The documents of the set the reader may see, every version it brought. */
  documents: DocumentSummary[];
}

const NOTHING = sql<boolean>`false`;

/** The sets this professional may see, the list traced as a whole (`read-list`, as the documents' list). */
export async function listSubmissionSetsForProfessional(
  ctx: AppContext,
  access: ProfessionalAccess,
  recordId: string,
  filters: SubmissionSetFilters,
): Promise<{ total: number; sets: SubmissionSetSummary[] }> {
  await access.check('list');
  const db = ctx.database.db.withTables<DocumentTables>();
  let query = db
    .selectFrom('submission_set')
    .where('submission_set.record_id', '=', recordId)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('document')
          .select('document.version')
          .where('document.record_id', '=', recordId)
          .whereRef('document.submission_set_id', '=', 'submission_set.submission_set_id')
          .where('document.status', '!=', 'deleted')
          .where((eb) => visibleTo(eb, access.visibility)),
      ),
    );
  for (const group of filters.identifiers ?? []) {
    query = query.where((eb) =>
      eb.or([
        ...(group.uniqueIds.length ? [eb('submission_set.unique_id', 'in', group.uniqueIds)] : []),
        ...(group.setIds.length ? [eb('submission_set.submission_set_id', 'in', group.setIds)] : []),
        NOTHING,
      ]),
    );
  }
  for (const c of filters.submitted ?? []) query = query.where(dateMatches(sql.ref('submission_set.created_at'), c, (d) => d, (d) => d));
  for (const ids of filters.sourceIds ?? []) query = query.where((eb) => (ids.length ? eb('submission_set.source_id', 'in', ids) : NOTHING));
  for (const codes of filters.contentTypes ?? []) query = query.where(anyCode(sql.ref('submission_set.content_type'), codes));
  for (const names of filters.authorNames ?? []) query = query.where(anyName(sql.ref('submission_set.author_name'), names));

  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    query.selectAll('submission_set').orderBy('submission_set.created_at', 'desc').orderBy('submission_set.submission_set_id').limit(filters.limit).offset(filters.offset).execute(),
  ]);
  if (!rows.length) return { total: Number(count?.n ?? 0), sets: [] };

  const dataKey = await dataKeyFor(ctx.database.db, ctx.masterKey, recordId, ctx.clock.now());
  // The sets' documents as the documents' list shows them (same SQL visibility), each checked by the policy again.
  const inSets = await listDocuments(ctx, recordId, access.visibility, {
    search: { submissionSetIds: rows.map((r) => r.submission_set_id), statuses: ['current', 'replaced'] },
    limit: 10_000,
    offset: 0,
  });
  const readable = inSets.documents.filter((d) => access.allows('read', summaryState(d)));
  return {
    total: Number(count?.n ?? 0),
    sets: rows.map((r) => ({
      submissionSetId: r.submission_set_id,
      uniqueId: r.unique_id,
      sourceId: r.source_id,
      title: r.title_sealed ? openForRecord(dataKey, recordId, 'submission-set-title', Buffer.from(r.title_sealed)).toString('utf8') : null,
      contentType: r.content_type,
      author: { id: r.author_id, name: r.author_name },
      createdAt: r.created_at.toISOString(),
      documents: readable.filter((d) => d.sharing.submissionSetId === r.submission_set_id),
    })),
  };
}
