import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform';
import { databaseAnswers } from '../../platform';

/** Probes for the load balancer: alive (process) and ready (database answers). */
export function registerHealth(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    if (await databaseAnswers(ctx.database)) return { status: 'ready' };
    return reply.code(503).type('application/problem+json; charset=utf-8').send({
      type: 'https://opendmp.fr/problemes/not-ready',
      title: 'Service pas encore prêt',
      status: 503,
      detail: 'La base de données ne répond pas.',
    });
  });
}
