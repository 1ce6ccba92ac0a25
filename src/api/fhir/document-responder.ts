/**
 * IHE MHD Document Responder: ITI-67 Find Document References and ITI-68 Retrieve Document.
 * The access decision and its trace are those of the JSON professional API
 * (src/documents/pro-documents.ts): only the shapes differ.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listDocumentsForProfessional, readableDocument, readDocumentContent, type BlobStore, type DocumentFilters } from '../../documents';
import { professionalAccess } from '../../access';
import type { AppContext } from '../../platform';
import { AppError, badRequest, notFound } from '../../platform';
import { sendDocumentBytes } from '../files';
import { rateLimitGuard } from '../rate-limit';
import { requireProfessional } from '../professional/guard';
import { fhirBase, fhirResource, recordOfIdentifier } from './door';
import { CATEGORY_SYSTEM, documentReference, FHIR_JSON, parseDocumentFhirId, typeFromCoding } from './resources';

/** MHD search parameters this server does not implement: refused rather than silently ignored (a wider answer than asked). */
const UNSUPPORTED = ['date', 'creation', 'author.given', 'author.family', 'setting', 'facility', 'event', 'security-label', 'format', 'related', 'patient', 'identifier', '_sort'];

const searchQuery = z.looseObject({
  'patient.identifier': z.string({ error: 'Le paramètre patient.identifier (INS du patient) est obligatoire.' }).regex(/^[^|]+\|[^|]+$/, 'Écrivez patient.identifier sous la forme urn:oid:<OID INS>|<matricule INS>.'),
  status: z.string().regex(/^(current|superseded)(,(current|superseded))?$/, 'Le statut doit être current ou superseded.').optional(),
  category: z.string().max(200).optional(),
  type: z.string().max(200).optional(),
  period: z.union([z.string(), z.array(z.string()).max(2)]).optional(),
  _count: z.coerce.number().int().min(1).max(100).default(20),
  _offset: z.coerce.number().int().min(0).default(0),
});

const binaryParams = z.object({ id: z.string().max(64) });

export function registerDocumentResponder(api: FastifyInstance, ctx: AppContext, store: BlobStore): void {
  const scope = api.withTypeProvider<ZodTypeProvider>();
  // ---- ITI-67 Find Document References ----
  // The INS alone finds a record here (MHD), where the JSON lookup also asks for the traits:
  // a ceiling per professional keeps software from being used to sweep INS numbers.
  const searchCeiling = rateLimitGuard(ctx, (r) => [{ key: `fhir-search:${r.professional?.rpps}`, limit: 600, windowSeconds: 3600 }]);
  scope.get('/DocumentReference', { schema: { tags: ['fhir'], querystring: searchQuery, response: { 200: fhirResource('Bundle') } }, preHandler: [requireProfessional, searchCeiling] }, async (request) => {
    const query = request.query;
    const unsupported = UNSUPPORTED.filter((name) => name in query);
    if (unsupported.length) throw new AppError(400, 'not-supported', 'Paramètre non pris en charge', `Ce serveur ne sait pas chercher avec : ${unsupported.join(', ')}.`);
    const record = await recordOfIdentifier(ctx, query['patient.identifier']);
    const me = request.professional!;
    const statuses = new Set((query.status ?? 'current').split(','));
    const filters: DocumentFilters = {
      ...periodFilter(query.period),
      ...(query.category ? { category: tokenCode(query.category, CATEGORY_SYSTEM, 'category') } : {}),
      ...(query.type ? { typeCode: typeToken(query.type) } : {}),
      includeHistory: statuses.has('superseded'),
      limit: query._count,
      offset: query._offset,
    };
    const access = await professionalAccess(ctx, me, record.recordId);
    const list = await listDocumentsForProfessional(ctx, access, record.recordId, filters);
    const wanted = list.documents.filter((d) => statuses.has(d.status === 'replaced' ? 'superseded' : d.status));
    const base = fhirBase(ctx);
    const self = new URL(`${base}/DocumentReference`);
    for (const [k, v] of Object.entries(query)) for (const value of [v].flat()) self.searchParams.append(k, String(value));
    const next = query._offset + query._count < list.total ? withOffset(self, query._offset + query._count) : null;
    return {
      resourceType: 'Bundle' as const,
      type: 'searchset',
      // The count is exact only when both statuses are asked for, or current only (the list's own filter).
      ...(statuses.has('current') ? { total: list.total } : {}),
      link: [{ relation: 'self', url: self.toString() }, ...(next ? [{ relation: 'next', url: next }] : [])],
      entry: wanted.map((d) => {
        const resource = documentReference(d, record.recordId, { oid: record.insOid, matricule: record.insMatricule });
        return { fullUrl: `${base}/DocumentReference/${resource.id}`, resource, search: { mode: 'match' } };
      }),
    };
  });

  // ---- ITI-68 Retrieve Document ----
  // The document's bytes, or a FHIR Binary when asked for JSON: no JSON schema, which would apply to both.
  scope.get('/Binary/:id', { schema: { tags: ['fhir'], params: binaryParams }, preHandler: requireProfessional }, async (request, reply) => {
    const key = parseDocumentFhirId(request.params.id);
    if (!key) throw notFound('Ce document n’existe pas dans le DMP.');
    const row = await readableDocument(ctx, request.professional!, key.recordId, key.documentId, key.version);
    const bytes = await readDocumentContent(ctx, store, row);
    if (wantsFhirJson(request)) {
      return reply.header('cache-control', 'private, no-store').send({ resourceType: 'Binary', id: request.params.id, contentType: row.media_type, data: bytes.toString('base64') });
    }
    return sendDocumentBytes(reply, row, bytes);
  });

}

/** A token `system|code` or `code`; another system than ours matches nothing we know. */
function tokenCode(token: string, system: string, name: string): string {
  const [givenSystem, code] = token.includes('|') ? (token.split('|') as [string, string]) : [undefined, token];
  if (givenSystem && givenSystem !== system) throw badRequest(`Le système de codes du paramètre ${name} doit être ${system}.`);
  return code;
}

function typeToken(token: string): string {
  const [system, code] = token.includes('|') ? (token.split('|') as [string, string]) : [undefined, token];
  const known = typeFromCoding({ system: system || undefined, code });
  if (!known) throw badRequest('Ce type de document n’existe pas dans la liste officielle des types de documents.');
  return known;
}

/** `period=ge2026-01-01&period=le2026-03-31` on the date of care (XDS serviceStartTime). */
function periodFilter(period: string | string[] | undefined): Pick<DocumentFilters, 'from' | 'to'> {
  const out: { from?: string; to?: string } = {};
  for (const value of [period ?? []].flat()) {
    const match = /^(ge|le|eq)?(\d{4}-\d{2}-\d{2})$/.exec(value);
    if (!match) throw badRequest('Le paramètre period s’écrit ge, le ou eq suivi d’une date AAAA-MM-JJ.');
    const [, prefix, date] = match;
    if (prefix !== 'le') out.from = date!;
    if (prefix !== 'ge') out.to = date!;
  }
  return out;
}

function withOffset(self: URL, offset: number): string {
  const next = new URL(self);
  next.searchParams.set('_offset', String(offset));
  return next.toString();
}

function wantsFhirJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes(FHIR_JSON) || (request.query as Record<string, unknown>)['_format'] === 'json';
}
