import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../core/context';
import { resolveAuditSigningKey } from './signing';
import { verifyTrail } from './verify';

/**
 * GET /api/audit/verify[?recordId=]: the verification report of the access history, as JSON
 * (`ok` false when anything is wrong; the answer is 200 either way: the check itself worked).
 * TODO(access): restrict to operators, and for one record to its médecin traitant, once the
 * professional and operator sessions exist. Until then it reveals only counts, seqs and reasons.
 */
export function registerAuditVerifyRoute(app: FastifyInstance, ctx: AppContext): void {
  const publicKey = resolveAuditSigningKey(ctx.config, ctx.masterKey).publicKey;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Vérifie l’intégrité de l’historique des accès (chaînes et points de contrôle signés)',
        querystring: z.object({ recordId: z.uuid('L’identifiant du dossier est incorrect.').optional() }),
      },
    },
    async (request) => verifyTrail(ctx.database.db, publicKey, request.query.recordId ? { recordId: request.query.recordId } : {}),
  );
}
