/**
 * IHE MHD Document Responder (MHD 4.2, as ANS PDSm 3.x and PDSm4DMP profile it):
 * ITI-67 Find Document References (GET and POST _search), the read of one DocumentReference,
 * ITI-68 Retrieve Document, and ITI-66 (list-responder.ts). Each access decision and its trace are
 * those of the JSON professional API (src/documents/pro-documents.ts): only the shapes differ.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { describeDocument, listDocumentsForProfessional, readableDocument, readDocumentContent, type BlobStore } from '../../documents';
import { professionalAccess } from '../../access';
import { findRecord } from '../../records';
import type { AppContext } from '../../platform';
import { AppError, notFound } from '../../platform';
import { sendDocumentBytes } from '../files';
import { rateLimitGuard } from '../rate-limit';
import { requireProfessional } from '../professional/guard';
import { fhirBase, fhirResource } from './door';
import { documentSearch, patientDesignation } from './document-search';
import { registerListResponder } from './list-responder';
import { documentReference, FHIR_JSON, parseDocumentFhirId } from './resources';
import { pageOffset, pageSize } from './search-params';
import { designatedRecord, ignoredWarning, NO_RECORD_WARNING, searchParamsOf, searchset } from './searchset';

const idParams = z.object({ id: z.string().max(64) });
const FORM = 'application/x-www-form-urlencoded';

export function registerDocumentResponder(api: FastifyInstance, ctx: AppContext, store: BlobStore): void {
  // POST _search sends its parameters as a form (FHIR http.html#search; MHD ITI-67 §2:3.67.4.1.2.3.3).
  api.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => done(null, body));
  const scope = api.withTypeProvider<ZodTypeProvider>();
  // The INS alone finds a record here (MHD), where the JSON lookup also asks for the traits:
  // a ceiling per professional keeps software from being used to sweep INS numbers.
  const searchCeiling = rateLimitGuard(ctx, (r) => [{ key: `fhir-search:${r.professional?.rpps}`, limit: 600, windowSeconds: 3600 }]);
  const searchRoute = { schema: { tags: ['fhir'], response: { 200: fhirResource('Bundle') } }, preHandler: [requireProfessional, searchCeiling] };

  // ---- ITI-67 Find Document References (MHD §2:3.67.4.1, PDSm4DMP TD3.1a / TD3.1b) ----
  const findDocumentReferences = async (request: FastifyRequest) => {
    const params = searchParamsOf(request);
    const record = await designatedRecord(ctx, patientDesignation(params, 'documents'));
    const count = pageSize(params.single('_count'));
    const offset = pageOffset(params.single('_offset'));
    const search = documentSearch(params, record?.recordId ?? '00000000-0000-0000-0000-000000000000', ctx.clock.now());
    const warnings = ignoredWarning(params.finish());
    const base = fhirBase(ctx);
    if (!record) return searchset({ base, resourceType: 'DocumentReference', params, total: 0, offset, count, matches: [], warnings: [NO_RECORD_WARNING, ...warnings] });
    const access = await professionalAccess(ctx, request.professional!, record.recordId);
    const list = await listDocumentsForProfessional(ctx, access, record.recordId, { search, limit: count, offset });
    return searchset({
      base,
      resourceType: 'DocumentReference',
      params,
      total: list.total,
      offset,
      count,
      matches: list.documents.map((d) => documentReference(d, record, base)),
      warnings,
    });
  };
  scope.get('/DocumentReference', searchRoute, async (request, reply) => reply.send({ ...(await findDocumentReferences(request)) }));
  scope.post('/DocumentReference/_search', searchRoute, async (request, reply) => reply.send({ ...(await findDocumentReferences(request)) }));

  // ---- DocumentReference read (MHD DocumentResponder CapabilityStatement: read) ----
  // Decided and traced as a document's opening (`open-document`). The ETag is the metadata's
  // versionId (see migration 0016): a client that has this version asks again with If-None-Match.
  scope.get('/DocumentReference/:id', { schema: { tags: ['fhir'], params: idParams }, preHandler: requireProfessional }, async (request, reply) => {
    const key = parseDocumentFhirId(request.params.id);
    if (!key) throw notFound('Ce document n’existe pas dans le DMP.');
    const row = await readableDocument(ctx, request.professional!, key.recordId, key.documentId, key.version);
    const [summary, record] = await Promise.all([describeDocument(ctx, row), findRecord(ctx, key.recordId)]);
    const etag = `W/"${summary.metaVersion}"`;
    reply.header('etag', etag).header('cache-control', 'private, no-cache');
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type(`${FHIR_JSON}; charset=utf-8`).send(documentReference(summary, record, fhirBase(ctx)));
  });

  // ---- ITI-68 Retrieve Document (MHD §2:3.68.4.1.2, PDSm4DMP TD3.2) ----
  // The document's bytes in its own media type, or a FHIR Binary when that is what Accept (or
  // _format) asks for; 406 when neither is acceptable (MHD Table 2:3.68.4.2.2-1). No JSON schema,
  // which would apply to both.
  scope.get('/Binary/:id', { schema: { tags: ['fhir'], params: idParams }, preHandler: requireProfessional }, async (request, reply) => {
    const key = parseDocumentFhirId(request.params.id);
    if (!key) throw notFound('Ce document n’existe pas dans le DMP.');
    const row = await readableDocument(ctx, request.professional!, key.recordId, key.documentId, key.version);
    const served = servedAs(request, row.media_type);
    if (!served) {
      throw new AppError(406, 'not-acceptable', 'Format non disponible', `Ce document ne peut être fourni que comme ${row.media_type} ou comme ressource FHIR Binary (${FHIR_JSON}).`);
    }
    const bytes = await readDocumentContent(ctx, store, row);
    if (served === 'binary') {
      return reply
        .header('cache-control', 'private, no-store')
        .type(`${FHIR_JSON}; charset=utf-8`)
        .send({ resourceType: 'Binary', id: request.params.id, contentType: row.media_type, data: bytes.toString('base64') });
    }
    return sendDocumentBytes(reply, row, bytes);
  });

  registerListResponder(scope, ctx, searchRoute);
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === bare;
  });
}

/** Media types that name the same bytes (a CDA is XML, under either name). */
const SAME_BYTES: Record<string, string[]> = { 'text/xml': ['text/xml', 'application/xml'], 'application/xml': ['application/xml', 'text/xml'] };
const FHIR_TYPES = [FHIR_JSON, 'application/json', 'application/json+fhir'];

/**
 * What the request accepts (RFC 9110 §12.5.1): each candidate takes the quality of the most
 * specific range that names it; the best wins, the document's own bytes on a tie (a bare `*\/*`).
 */
function servedAs(request: FastifyRequest, mediaType: string): 'bytes' | 'binary' | null {
  const format = (request.query as Record<string, unknown>)['_format'];
  if (typeof format === 'string') return ['json', ...FHIR_TYPES].includes(format) ? 'binary' : null;
  const accept = request.headers.accept;
  if (!accept || !accept.trim()) return 'bytes';
  const ranges = accept.split(',').map((part) => {
    const [range = '', ...options] = part.trim().toLowerCase().split(';');
    const q = options.map((o) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(o)?.[1]).find((v) => v !== undefined);
    return { range: range.trim(), q: q === undefined ? 1 : Number(q) };
  });
  const quality = (types: string[]) => {
    let best = { q: 0, specificity: -1 };
    for (const { range, q } of ranges) {
      const specificity = types.includes(range) ? 2 : range === '*/*' ? 0 : types.some((t) => range === `${t.split('/')[0]}/*`) ? 1 : -1;
      if (specificity > best.specificity) best = { q, specificity };
    }
    return best;
  };
  const bytes = quality(SAME_BYTES[mediaType] ?? [mediaType]);
  const binary = quality(FHIR_TYPES);
  if (bytes.q <= 0 && binary.q <= 0) return null;
  if (binary.q > bytes.q || (binary.q === bytes.q && binary.specificity > bytes.specificity)) return 'binary';
  return 'bytes';
}
