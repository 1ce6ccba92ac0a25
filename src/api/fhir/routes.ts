/**
 * The FHIR R4 door of the DMP for practice software, following IHE MHD: the Document Responder
 * (ITI-67, ITI-68: document-responder.ts), the Document Recipient (ITI-65: document-recipient.ts)
 * and the CapabilityStatement. Authentication, the access decision and its trace are those of the
 * JSON professional API. Every error leaves as an OperationOutcome in French.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform';
import { AppError } from '../../platform';
import type { BlobStore } from '../../documents';
import { toAppError } from '../plugins/problem';
import { FHIR_CONTENT_TYPE, fhirBase, fhirJson, fhirResource, sendOutcome } from './door';
import { registerDocumentRecipient } from './document-recipient';
import { registerDocumentResponder } from './document-responder';
import { registerDocumentUpdates } from './document-updates';
import { capabilityStatement } from './capability';
import { registerPatientDemographics } from './patient';
import { registerAuditEvents } from './audit-event';
import { registerConsents } from './consent';
import { FHIR_JSON } from './resources';
import { takeFhirTokens } from '../professional/guard';

export async function registerFhirRoutes(app: FastifyInstance, ctx: AppContext, store: BlobStore): Promise<void> {
  await app.register(
    async (scope) => {
      // Bearer tokens here are those of practice software, for the FHIR resource (guard.ts).
      takeFhirTokens(scope);
      // MAX_UPLOAD_BYTES bounds the documents of one ITI-65 bundle together, not each one: the
      // body is held in memory whole (as the JSON text, then parsed, then decoded), so only a
      // bound per bundle bounds a request. They travel in base64 (4 bytes for 3), perhaps folded
      // in lines of 76 characters (+ CRLF), beside their metadata (1 MiB allowed for it).
      const bundleLimit = Math.ceil(((ctx.config.MAX_UPLOAD_BYTES * 4) / 3) * (78 / 76)) + 1024 * 1024;
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
      // Every resource leaves as FHIR JSON writes it (door.ts fhirJson), before its schema serializes it.
      scope.addHook('preSerialization', async (_request, _reply, payload: unknown) =>
        payload && typeof payload === 'object' && 'resourceType' in payload ? fhirJson(payload) : payload,
      );
      scope.addHook('onSend', async (_request, reply, payload) => {
        if (String(reply.getHeader('content-type') ?? '').startsWith('application/json')) reply.type(FHIR_CONTENT_TYPE);
        return payload;
      });
      const api = scope.withTypeProvider<ZodTypeProvider>();

      api.get('/metadata', { schema: { tags: ['fhir'], response: { 200: fhirResource('CapabilityStatement') } } }, async (request) =>
        capabilityStatement(fhirBase(ctx), ctx.clock.now(), await request.server.oauthEndpoints()),
      );

      registerDocumentResponder(scope, ctx, store);
      registerDocumentRecipient(scope, ctx, store, bundleLimit);
      registerDocumentUpdates(scope, ctx);
      registerPatientDemographics(scope, ctx);
      registerAuditEvents(scope, ctx);
      registerConsents(scope, ctx);
    },
    { prefix: '/fhir' },
  );
}
