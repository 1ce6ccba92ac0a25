/**
 * IHE MHD ITI-66 Find Document Lists and the read of a List (MHD 4.2 §2:3.66, PDSm 3.x "Flux
 * 05-a / 06-a"): the submission sets of a record (what each ITI-65 bundle brought), as
 * PDSm_SubmissionSetComprehensive Lists, with only the documents this professional may see.
 * The DMP keeps no folders: `code=folder` finds nothing.
 */
import type { FastifyInstance, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listSubmissionSetsForProfessional, type SubmissionSetFilters } from '../../documents';
import { professionalAccess } from '../../access';
import { findRecord } from '../../records';
import type { AppContext } from '../../platform';
import { notFound } from '../../platform';
import { requireProfessional } from '../professional/guard';
import { fhirBase } from './door';
import { patientDesignation } from './document-search';
import { MHD_LIST_TYPES, parseSubmissionSetFhirId, submissionSetFhirId, submissionSetList } from './resources';
import { withSystemNames } from './codings';
import { dateCriterion, names, orList, pageOffset, pageSize, STRING_MODIFIERS, tokens, type SearchParams } from './search-params';
import { designatedRecord, ignoredWarning, NO_RECORD_WARNING, searchParamsOf, searchset } from './searchset';

/** Every List search parameter this server applies (the CapabilityStatement lists these). */
export const LIST_SEARCH_PARAMS = ['patient', 'patient.identifier', 'code', 'status', 'identifier', '_id', 'date', 'designationType', 'sourceId', 'source.given', 'source.family'] as const;

const UUID_URN = /^urn:uuid:([0-9a-f-]{36})$/i;

/** The List parameters of MHD ITI-66 §2:3.66.4.1.2.1 as the documents module's criteria; null when nothing can match. */
function listSearch(params: SearchParams, recordId: string, now: Date, page: { limit: number; offset: number }): SubmissionSetFilters | null {
  let none = false;
  // code: submissionset (MHDlistTypes); status: a submission set is always current.
  for (const o of params.take('code')) if (!tokens(o.value).some((t) => t.code === 'submissionset' && (t.system === undefined || t.system === MHD_LIST_TYPES))) none = true;
  for (const o of params.take('status')) if (!tokens(o.value).some((t) => t.code === 'current')) none = true;
  const identifiers: NonNullable<SubmissionSetFilters['identifiers']> = [];
  for (const o of params.take('identifier')) {
    const values = tokens(o.value).filter((t) => t.code !== undefined && (t.system === undefined || t.system === 'urn:ietf:rfc:3986')).map((t) => t.code!);
    identifiers.push({ uniqueIds: values, setIds: values.map((v) => UUID_URN.exec(v)?.[1]?.toLowerCase()).filter((v): v is string => v !== undefined) });
  }
  for (const o of params.take('_id')) {
    const ids = orList(o.value).map(parseSubmissionSetFhirId).filter((k) => k !== null && k.recordId === recordId);
    identifiers.push({ uniqueIds: [], setIds: ids.map((k) => k!.submissionSetId) });
  }
  const filters: SubmissionSetFilters = { ...page };
  if (identifiers.length) filters.identifiers = identifiers;
  const submitted = params.take('date').map((o) => dateCriterion(o.value, 'date', now));
  if (submitted.length) filters.submitted = submitted;
  const contentTypes = params.take('designationType').map((o) => tokens(o.value).flatMap(withSystemNames));
  if (contentTypes.length) filters.contentTypes = contentTypes;
  // sourceId: the sending system's OID, written with or without its urn:oid: prefix.
  const sourceIds = params.take('sourceId').map((o) => tokens(o.value).flatMap((t) => (t.code ? [t.code, t.code.replace(/^urn:oid:/, ''), `urn:oid:${t.code.replace(/^urn:oid:/, '')}`] : [])));
  if (sourceIds.length) filters.sourceIds = sourceIds;
  // source.given / source.family: the set keeps its author's whole name, where either part is looked for.
  const authorNames = [...params.take('source.given', STRING_MODIFIERS), ...params.take('source.family', STRING_MODIFIERS)].map((o) =>
    names(o).map((n) => (n.mode === 'start' ? { ...n, mode: 'contains' as const } : n)),
  );
  if (authorNames.length) filters.authorNames = authorNames;
  return none ? null : filters;
}

export function registerListResponder(scope: FastifyInstance, ctx: AppContext, searchRoute: RouteShorthandOptions): void {
  const api = scope.withTypeProvider<ZodTypeProvider>();
  const findLists = async (request: FastifyRequest) => {
    const params = searchParamsOf(request);
    const record = await designatedRecord(ctx, patientDesignation(params, 'lots de soumission'));
    const count = pageSize(params.single('_count'));
    const offset = pageOffset(params.single('_offset'));
    const filters = listSearch(params, record?.recordId ?? '', ctx.clock.now(), { limit: count, offset });
    const warnings = ignoredWarning(params.finish());
    const base = fhirBase(ctx);
    const empty = (w: string[]) => searchset({ base, resourceType: 'List', params, total: 0, offset, count, matches: [], warnings: w });
    if (!record) return empty([NO_RECORD_WARNING, ...warnings]);
    const access = await professionalAccess(ctx, request.professional!, record.recordId);
    if (!filters) {
      await access.check('list');
      return empty(warnings);
    }
    const found = await listSubmissionSetsForProfessional(ctx, access, record.recordId, filters);
    return searchset({ base, resourceType: 'List', params, total: found.total, offset, count, matches: found.sets.map((s) => submissionSetList(s, record)), warnings });
  };
  api.get('/List', searchRoute, findLists);
  api.post('/List/_search', searchRoute, findLists);

  api.get('/List/:id', { schema: { tags: ['fhir'], params: z.object({ id: z.string().max(64) }) }, preHandler: requireProfessional }, async (request) => {
    const key = parseSubmissionSetFhirId(request.params.id);
    if (!key) throw notFound('Ce lot de soumission n’existe pas dans le DMP.');
    const access = await professionalAccess(ctx, request.professional!, key.recordId);
    const found = await listSubmissionSetsForProfessional(ctx, access, key.recordId, { identifiers: [{ uniqueIds: [], setIds: [key.submissionSetId] }], limit: 1, offset: 0 });
    const set = found.sets[0];
    // A set none of whose documents this professional may see is not shown (it would tell of them).
    if (!set || submissionSetFhirId(key.recordId, set.submissionSetId) !== request.params.id) throw notFound('Ce lot de soumission n’existe pas dans le DMP.');
    return submissionSetList(set, await findRecord(ctx, key.recordId));
  });
}
