import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * One log line per request, built from an allowlist: the route pattern (never
 * the raw URL, whose path or query may carry an identifier), the status and
 * the duration, under a request id the client also receives.
 */

const INCOMING_ID = /^[A-Za-z0-9-]{8,64}$/;

export function requestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && INCOMING_ID.test(header) ? header : randomUUID();
}

export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? '(unmatched)',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });
}
