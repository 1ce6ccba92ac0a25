import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from '../platform';
import { z } from 'zod';
import { registerAccountRoutes } from './patient/accounts';
import { registerCaregiverRoutes } from './caregiver/routes';
import { registerAgentRoutes } from './agent/routes';
import { registerHistoryRoutes } from './patient/history';
import { registerNotificationPreferenceRoutes } from './patient/notification-preferences';
import { registerSessions } from './sessions';
import { createBlobStore, S3BlobStore, type BlobStore } from '../documents';
import { registerPatientDocumentRoutes } from './patient/documents';
import { registerHealthProfileRoutes } from './patient/health-profile';
import { registerPatientSharingRoutes } from './patient/sharing';
import { registerProfessionalRecordRoutes } from './professional/records';
import { registerDevOutbox } from './dev/outbox';
import { registerFhirRoutes } from './fhir/routes';
import { registerProfessionalSignIn } from './professional/sign-in';
import { registerLifecycleRoutes } from './patient/lifecycle';
import { registerCsrf } from './plugins/csrf';
import { registerHealth } from './public/health';
import { registerOpenApi, registerOpenApiRoute } from './plugins/openapi';
import { registerProblemHandler } from './plugins/problem';
import { responseSerializer } from './plugins/serializer';
import { registerRequestLog, requestId } from './plugins/request-log';
import { registerSecurityHeaders } from './plugins/security-headers';
import { registerWeb } from './public/web';
import { withRecordKeyCache } from '../platform';

export interface ServerOptions {
  /** Where the built web app lives; tests may point elsewhere. */
  webDist?: string;
  /** Where documents' bytes go; by default the BLOB_STORE setting. */
  blobs?: BlobStore;
}

// Validation messages people may read are in French.
z.config(z.locales.fr());

/** Assembles the HTTP service: shared plugins first, then each feature's routes. */
export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    // pino's Logger is a FastifyBaseLogger; naming the base keeps one FastifyInstance type everywhere.
    loggerInstance: ctx.logger as FastifyBaseLogger,
    // Fastify's own request lines log the raw URL; ours (request-log.ts) log the route pattern.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => requestId(req.headers['x-request-id']),
    // X-Forwarded-For is believed only from the proxies named in TRUSTED_PROXIES: any other
    // client could write it and pass for a new address at each request of a per-address limit.
    trustProxy: ctx.config.TRUSTED_PROXIES.length ? ctx.config.TRUSTED_PROXIES : false,
    bodyLimit: 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  // In tests, an answer the response schema would trim is an error (plugins/serializer.ts), so that a
  // forgotten field fails a test; a development or production server trims it, as Fastify does.
  app.setSerializerCompiler(responseSerializer(ctx.config.NODE_ENV === 'test'));

  registerRequestLog(app);
  // Each request opens a record's data key once, whatever the number of reads and traces it makes.
  app.addHook('onRequest', (_request, _reply, done) => withRecordKeyCache(done));
  registerProblemHandler(app);
  await registerSecurityHeaders(app);
  await registerOpenApi(app);

  registerSessions(app, ctx);
  registerCsrf(app, ctx);

  registerHealth(app, ctx);
  registerOpenApiRoute(app);
  registerAccountRoutes(app, ctx);
  await registerProfessionalSignIn(app, ctx);
  registerAgentRoutes(app, ctx);
  const blobs = options.blobs ?? createBlobStore(ctx.config);
  app.addHook('onClose', async () => {
    if (blobs instanceof S3BlobStore) blobs.close();
  });
  await registerPatientDocumentRoutes(app, ctx, blobs);
  registerHealthProfileRoutes(app, ctx);
  registerPatientSharingRoutes(app, ctx);
  registerCaregiverRoutes(app, ctx);
  await registerProfessionalRecordRoutes(app, ctx, blobs);
  await registerFhirRoutes(app, ctx, blobs);
  registerHistoryRoutes(app, ctx);
  registerNotificationPreferenceRoutes(app, ctx);
  await registerLifecycleRoutes(app, ctx, blobs);
  if (ctx.config.DEV_OUTBOX) registerDevOutbox(app, ctx);
  await registerWeb(app, options.webDist);
  return app;
}
