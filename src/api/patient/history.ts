import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { historyPage, historyVerification } from './answers';
import { recordAccess } from '../../access';
import type { Action } from '../../access';
import { actorKindOf } from '../../records';
import { requirePatientSession } from '../sessions';
import type { AppContext } from '../../platform';
import { forbidden } from '../../platform';
import { loadHistoryPage, loadWholeHistory, parisDay, type HistoryView } from '../../history';
import { historyCsv, historyPdf } from '../../history';
import { traceEvent } from '../../audit';
import { auditTrailKeys } from '../../audit';
import { ACTOR_KINDS, AUDIT_ACTIONS } from '../../audit';
import { verifyTrail } from '../../audit';

/**
 * «Historique des accès» for the patient (DOMAIN.md §6), on the records the signed-in account
 * holds or represents:
 *   GET /api/records/:recordId/history               one page of sentences, with filters
 *   GET /api/records/:recordId/history/verification  { verified, checkedAt, events }
 *   GET /api/records/:recordId/history.csv | .pdf    the whole history (each download is traced)
 * and, registered with them, the notification preferences (GET/PUT /api/me/notification-preferences).
 */

const recordParams = z.object({ recordId: z.uuid({ error: 'L’identifiant du DMP est incorrect.' }) });
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Date au format AAAA-MM-JJ.')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'Cette date n’existe pas.');

const historyQuery = z
  .object({
    who: z.enum(ACTOR_KINDS, { error: 'Choisissez qui parmi la liste.' }).optional(),
    what: z.enum(AUDIT_ACTIONS, { error: 'Choisissez une action parmi la liste.' }).optional(),
    from: day.optional(),
    to: day.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'La date « au » est avant la date « du ».', path: ['to'] });

export function registerHistoryRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const trailKeys = auditTrailKeys(ctx.config, ctx.masterKey);

  /**
   * The signed-in patient's standing on the record, checked by the access policy
   * ('read-history', or 'export' for a download); a refusal is a 403 with its French reason.
   */
  async function readerOf(request: FastifyRequest, recordId: string, action: Extract<Action, 'read-history' | 'export'>) {
    await requirePatientSession(request);
    const loginId = request.session!.accountId;
    const access = await recordAccess(ctx, { loginId }, recordId);
    if (!access.role) throw await access.refuse(action === 'export' ? 'export' : 'read-list', 'not-titulaire', forbidden('Vous n’avez pas accès à ce DMP.'), { content: 'history' });
    const decision = access.preview(action);
    const view: HistoryView = { viewerLoginId: loginId, audience: access.role === 'holder' ? 'holder' : 'representative' };
    /** Reading the history, refused by the policy: traced like every refusal. */
    const refused = () => access.refuse('read-list', decision.rule, forbidden(decision.explanation), { content: 'history' });
    return { loginId, actorKind: actorKindOf(access.role), decision, view, refused };
  }

  api.get(
    '/api/records/:recordId/history',
    {
      schema: {
        tags: ['audit'],
        summary: 'Historique des accès au DMP, une phrase par événement (refus compris), heure de Paris',
        params: recordParams,
        querystring: historyQuery,
        response: { 200: historyPage },
      },
    },
    async (request, reply) => {
      const { decision, view, refused } = await readerOf(request, request.params.recordId, 'read-history');
      if (!decision.allowed) throw await refused();
      const { who, what, from, to, limit, offset } = request.query;
      const page = await loadHistoryPage(ctx, request.params.recordId, view, {
        ...(who ? { who } : {}),
        ...(what ? { what } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        limit,
        offset,
      });
      reply.header('cache-control', 'private, no-store');
      return page;
    },
  );

  api.get(
    '/api/records/:recordId/history/verification',
    { schema: { tags: ['audit'], summary: 'Vérifie que l’historique de ce DMP est intact', params: recordParams, response: { 200: historyVerification } } },
    async (request, reply) => {
      const { decision, refused } = await readerOf(request, request.params.recordId, 'read-history');
      if (!decision.allowed) throw await refused();
      const report = await verifyTrail(ctx.database.db, trailKeys, { recordId: request.params.recordId });
      reply.header('cache-control', 'private, no-store');
      return {
        verified: report.ok,
        checkedAt: ctx.clock.now().toISOString(),
        events: report.records.events,
        signedCheckpointAt: report.checkpoints.latestAt?.toISOString() ?? null,
      };
    },
  );

  /** A download: refused or not, it is traced; then the whole history, the download included. */
  async function download(request: FastifyRequest, recordId: string, format: 'csv' | 'pdf') {
    const { loginId, actorKind, decision, view } = await readerOf(request, recordId, 'export');
    await traceEvent(ctx, {
      recordId,
      actorKind,
      actorId: loginId,
      action: 'export',
      allowed: decision.allowed,
      rule: decision.rule,
      personal: { details: { content: 'history', format } },
    });
    if (!decision.allowed) throw forbidden(decision.explanation);
    const entries = await loadWholeHistory(ctx, recordId, view);
    return { entries, name: `historique-dmp-${parisDay(ctx.clock.now())}.${format}` };
  }

  const sendFile = (reply: FastifyReply, type: string, name: string, bytes: Uint8Array) =>
    reply
      .type(type)
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .send(Buffer.from(bytes));

  api.get(
    '/api/records/:recordId/history.csv',
    { schema: { tags: ['audit'], summary: 'Tout l’historique des accès, en CSV (UTF-8, point-virgule)', params: recordParams } },
    async (request, reply) => {
      const { entries, name } = await download(request, request.params.recordId, 'csv');
      return sendFile(reply, 'text/csv; charset=utf-8', name, historyCsv(entries));
    },
  );

  api.get(
    '/api/records/:recordId/history.pdf',
    { schema: { tags: ['audit'], summary: 'Tout l’historique des accès, en PDF', params: recordParams } },
    async (request, reply) => {
      const { entries, name } = await download(request, request.params.recordId, 'pdf');
      const report = await verifyTrail(ctx.database.db, trailKeys, { recordId: request.params.recordId });
      const pdf = await historyPdf({ entries, generatedAt: ctx.clock.now(), verified: report.ok });
      return sendFile(reply, 'application/pdf', name, pdf);
    },
  );

}
