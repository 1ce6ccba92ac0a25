/**
 * The FHIR R4 door of the DMP for practice software, following IHE MHD:
 * ITI-67 (find document references), ITI-68 (retrieve document), ITI-65 (provide document
 * bundle), and the CapabilityStatement. Authentication, the access decision and its trace are
 * those of the JSON professional API (src/access/pro-documents.ts): only the shapes differ.
 * Every error leaves as an OperationOutcome in French.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findRecordByIns, type RecordFacts } from '../../records';
import { depositAsProfessional, listDocumentsForProfessional, readableDocument } from '../../documents';
import { professionalAccess } from '../../access';
import type { AppContext } from '../../platform';
import { AppError, badRequest, notFound } from '../../platform';
import type { BlobStore } from '../../documents';
import { sendDocumentBytes } from '../files';
import { readDocumentContent, type DocumentFilters } from '../../documents';
import { toAppError } from '../plugins/problem';
import { INS_OID } from '../../identity';
import { rateLimitGuard } from '../rate-limit';
import { requireProfessional } from '../professional/guard';
import { NO_MATCH } from '../../records';
import { readProvideBundle } from './provide-bundle';
import { capabilityStatement, CATEGORY_SYSTEM, documentFhirId, documentReference, FHIR_JSON, operationOutcome, parseDocumentFhirId, typeFromCoding } from './resources';

const FHIR_CONTENT_TYPE = `${FHIR_JSON}; charset=utf-8`;
const INS_SYSTEMS = new Set<string>(Object.values(INS_OID).map((oid) => `urn:oid:${oid}`));
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

export async function registerFhirRoutes(app: FastifyInstance, ctx: AppContext, store: BlobStore): Promise<void> {
  await app.register(
    async (scope) => {
      // A document travels in base64 (4 bytes for 3) inside the JSON of the bundle.
      const bundleLimit = Math.ceil((ctx.config.MAX_UPLOAD_BYTES * 4) / 3) + 256 * 1024;
      scope.addContentTypeParser(FHIR_JSON, { parseAs: 'string', bodyLimit: bundleLimit }, scope.getDefaultJsonParser('error', 'error'));
      scope.setErrorHandler((error: FastifyError, request, reply) => {
        const problem = toAppError(error);
        if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
        return sendOutcome(reply, request, problem);
      });
      // A route, not a not-found handler: the web app's static wildcard (http/web.ts) would take these GETs first.
      scope.all('/*', async (request, reply) =>
        sendOutcome(reply, request, new AppError(404, 'not-found', 'Introuvable', 'Cette ressource FHIR n’est pas proposée par ce serveur.')),
      );
      scope.addHook('onSend', async (_request, reply, payload) => {
        if (String(reply.getHeader('content-type') ?? '').startsWith('application/json')) reply.type(FHIR_CONTENT_TYPE);
        return payload;
      });
      const api = scope.withTypeProvider<ZodTypeProvider>();

      api.get('/metadata', { schema: { tags: ['fhir'], response: { 200: fhirResource('CapabilityStatement') } } }, async () => capabilityStatement(`${ctx.config.PUBLIC_URL.replace(/\/$/, '')}/fhir`, ctx.clock.now()));

      // ---- ITI-67 Find Document References ----
      // The INS alone finds a record here (MHD), where the JSON lookup also asks for the traits:
      // a ceiling per professional keeps software from being used to sweep INS numbers.
      const searchCeiling = rateLimitGuard(ctx, (r) => [{ key: `fhir-search:${r.professional?.rpps}`, limit: 600, windowSeconds: 3600 }]);
      api.get('/DocumentReference', { schema: { tags: ['fhir'], querystring: searchQuery, response: { 200: fhirResource('Bundle') } }, preHandler: [requireProfessional, searchCeiling] }, async (request) => {
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
        const base = `${ctx.config.PUBLIC_URL.replace(/\/$/, '')}/fhir`;
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
      api.get('/Binary/:id', { schema: { tags: ['fhir'], params: binaryParams }, preHandler: requireProfessional }, async (request, reply) => {
        const key = parseDocumentFhirId(request.params.id);
        if (!key) throw notFound('Ce document n’existe pas dans le DMP.');
        const row = await readableDocument(ctx, request.professional!, key.recordId, key.documentId, key.version);
        const bytes = await readDocumentContent(ctx, store, row);
        if (wantsFhirJson(request)) {
          return reply.header('cache-control', 'private, no-store').send({ resourceType: 'Binary', id: request.params.id, contentType: row.media_type, data: bytes.toString('base64') });
        }
        return sendDocumentBytes(reply, row, bytes);
      });

      // ---- ITI-65 Provide Document Bundle ----
      api.post('/', { schema: { tags: ['fhir'], response: { 200: fhirResource('Bundle') } }, bodyLimit: bundleLimit, preHandler: requireProfessional }, async (request, reply) => {
        const provided = readProvideBundle(request.body, ctx.config.MAX_UPLOAD_BYTES);
        const record = await findRecordByIns(ctx, provided.ins.matricule);
        if (!record || record.insOid !== provided.ins.oid) throw notFound(NO_MATCH);
        const me = request.professional!;
        const access = await professionalAccess(ctx, me, record.recordId);
        const deposited = await depositAsProfessional(ctx, store, access, me, record.recordId, {
          bytes: provided.bytes,
          typeCode: provided.typeCode,
          title: provided.title,
          careDate: provided.careDate,
          masked: provided.flags.masked,
          hiddenFromPatient: provided.flags.hiddenFromPatient,
          hiddenFromRepresentatives: provided.flags.hiddenFromRepresentatives,
        });
        const id = documentFhirId({ recordId: record.recordId, documentId: deposited.documentId, version: deposited.version });
        const location = { List: `List/${deposited.documentId}`, DocumentReference: `DocumentReference/${id}`, Binary: `Binary/${id}` };
        return reply.code(200).send({
          resourceType: 'Bundle',
          type: 'transaction-response',
          entry: provided.entryTypes.map((type) => ({ response: { status: '201 Created', location: location[type] } })),
        });
      });
    },
    { prefix: '/fhir' },
  );
}

function sendOutcome(reply: FastifyReply, request: FastifyRequest, error: AppError): FastifyReply {
  return reply.code(error.status).type(FHIR_CONTENT_TYPE).send(operationOutcome(error, request.id));
}

/** The record under the INS of `patient.identifier`; a miss says only that no DMP matches (as the JSON lookup does). */
async function recordOfIdentifier(ctx: AppContext, token: string): Promise<RecordFacts> {
  const [system, value] = token.split('|') as [string, string];
  if (!INS_SYSTEMS.has(system)) throw badRequest('Le patient se désigne par son INS : urn:oid:1.2.250.1.213.1.4.8|<NIR> (ou l’OID du NIA).');
  const record = await findRecordByIns(ctx, value.trim().toUpperCase());
  if (!record || `urn:oid:${record.insOid}` !== system) throw notFound(NO_MATCH);
  return record;
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

/**
 * A FHIR resource as answered: only its type is declared, the rest follows the FHIR R4 specification
 * (and IHE MHD) and passes through untouched.
 */
function fhirResource<T extends string>(resourceType: T) {
  return z.looseObject({ resourceType: z.literal(resourceType) });
}
