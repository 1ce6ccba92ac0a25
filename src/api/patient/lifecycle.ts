import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { lifecycleChange, lifecycleState, recordDestroyed } from './answers';
import { recordAccess } from '../../access';
import type { Action } from '../../access';
import { actorKindOf } from '../../records';
import { parisDay } from '../../history';
import { traceEvent } from '../../audit';
import type { AuditAction } from '../../audit';
import { rateLimitGuard } from '../rate-limit';
import { clearSessionCookie, cookiesSecure, requirePatientSession } from '../sessions';
import { revokeSession } from '../../accounts';
import type { AppContext } from '../../platform';
import { AppError, forbidden, invalidField, notFound } from '../../platform';
import type { BlobStore } from '../../documents';
import { closeRecord, reactivateRecord } from '../../lifecycle';
import { planRecordCopy, streamRecordCopy } from '../../lifecycle';
import { destroyRecord } from '../../lifecycle';
import { DELETION_WORD, deletionConfirmed, destructionDate, mayDestroyAtOnce, megabytes } from '../../lifecycle';

/**
 * The life of a record for its titulaire (DOMAIN.md §7), or a legal representative where the
 * policy lets them:
 *   GET  /api/records/:recordId/lifecycle     its status, when it closed, when it will be destroyed
 *   POST /api/records/:recordId/closure       close it (professionals can no longer read or feed it)
 *   POST /api/records/:recordId/reactivation  reopen a closed record
 *   POST /api/records/:recordId/deletion      destroy it at once (titulaire only; the session ends)
 *   GET  /api/records/:recordId/copy          the copy of the whole record, as a ZIP file
 * Every decision is the access policy's (close, reactivate, export), and every refusal is traced.
 */

const recordParams = z.object({ recordId: z.uuid({ error: 'L’identifiant du DMP est incorrect.' }) });
const HOUR = 3600;

export async function registerLifecycleRoutes(app: FastifyInstance, ctx: AppContext, blobs: BlobStore): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const secure = cookiesSecure(ctx.config);
  /** Per account (or address before signing in): these send messages, or read the whole record. */
  const limited = (name: string, limit: number) =>
    rateLimitGuard(ctx, (r) => [{ key: `lifecycle-${name}:${r.session?.accountId ?? `ip:${r.ip}`}`, limit, windowSeconds: HOUR }]);

  /** The signed-in person's standing on the record: their role, as the policy sees them. */
  async function standing(request: FastifyRequest, recordId: string) {
    await requirePatientSession(request);
    const loginId = request.session!.accountId;
    const access = await recordAccess(ctx, { loginId }, recordId);
    const { loaded, role, actor } = access;
    const event = (action: AuditAction, allowed: boolean, rule: string) => ({
      recordId,
      actorKind: actor.kind as ReturnType<typeof actorKindOf>,
      actorId: loginId,
      action,
      allowed,
      rule,
    });
    /** Decides; a refusal is traced and answered in French, and changes nothing. */
    async function permit(action: Extract<Action, 'close' | 'reactivate' | 'export'>) {
      const decision = access.preview(action);
      if (decision.allowed) return decision.rule;
      await traceEvent(ctx, event(action, false, decision.rule));
      throw refusal(action, decision.rule, decision.explanation);
    }
    return { loginId, role, actor, loaded, event, permit, access };
  }

  api.get(
    '/api/records/:recordId/lifecycle',
    { schema: { tags: ['lifecycle'], summary: 'L’état du DMP : ouvert ou fermé, et depuis quand', params: recordParams, response: { 200: lifecycleState } } },
    async (request, reply) => {
      const { role, loaded, access } = await standing(request, request.params.recordId);
      if (!role) throw await access.refuse('read-list', 'not-titulaire', forbidden('Vous n’avez pas accès à ce DMP.'), { content: 'lifecycle' });
      const { status, closedAt } = loaded.facts;
      reply.header('cache-control', 'private, no-store');
      return {
        recordId: request.params.recordId,
        role,
        status,
        closedAt: closedAt?.toISOString() ?? null,
        destroyOn: status === 'closed' && closedAt ? destructionDate(closedAt).toISOString() : null,
        mayDestroy: mayDestroyAtOnce(role),
      };
    },
  );

  api.post(
    '/api/records/:recordId/closure',
    {
      schema: { tags: ['lifecycle'], summary: 'Fermer le DMP', params: recordParams, body: z.object({ confirmed: z.boolean({ error: 'Cochez la case pour confirmer.' }) }), response: { 200: lifecycleChange } },
      preHandler: limited('status', 10),
    },
    async (request) => {
      const { recordId } = request.params;
      const { loginId, actor, permit } = await standing(request, recordId);
      const rule = await permit('close');
      if (!request.body.confirmed) throw invalidField('confirmed', 'Cochez la case pour confirmer que vous voulez fermer le DMP.');
      if (!(await closeRecord(ctx, { recordId, actorKind: actor.kind, actorId: loginId, rule }))) throw alreadyClosed();
      return lifecycleAnswer(ctx.clock.now(), 'closed');
    },
  );

  api.post(
    '/api/records/:recordId/reactivation',
    { schema: { tags: ['lifecycle'], summary: 'Réactiver un DMP fermé', params: recordParams, response: { 200: lifecycleChange } }, preHandler: limited('status', 10) },
    async (request) => {
      const { recordId } = request.params;
      const { loginId, actor, permit } = await standing(request, recordId);
      const rule = await permit('reactivate');
      if (!(await reactivateRecord(ctx, { recordId, actorKind: actor.kind, actorId: loginId, rule }))) throw notClosed();
      return lifecycleAnswer(ctx.clock.now(), 'active');
    },
  );

  api.post(
    '/api/records/:recordId/deletion',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Supprimer le DMP définitivement, tout de suite',
        params: recordParams,
        body: z.object({ confirmation: z.string({ error: `Écrivez ${DELETION_WORD} pour confirmer.` }).max(100) }),
        response: { 200: recordDestroyed },
      },
      preHandler: limited('deletion', 5),
    },
    async (request, reply) => {
      const { recordId } = request.params;
      const { loginId, role, event } = await standing(request, recordId);
      if (!mayDestroyAtOnce(role)) {
        await traceEvent(ctx, event('delete-record', false, role ? 'titulaire-only' : 'not-titulaire'));
        throw role
          ? forbidden('Seule la personne titulaire du DMP peut le supprimer définitivement. Vous pouvez le fermer : il sera gardé 10 ans.')
          : forbidden('Vous n’avez pas accès à ce DMP.');
      }
      if (!deletionConfirmed(request.body.confirmation)) {
        throw invalidField('confirmation', `Pour confirmer, écrivez le mot ${DELETION_WORD} en lettres capitales.`);
      }
      const destroyed = await destroyRecord(ctx, blobs, recordId, { kind: 'patient', id: loginId, rule: 'titulaire' });
      if (!destroyed) throw notFound('Ce DMP n’existe plus.');
      // The account's sessions all ended with the account; an account that still acts for a child keeps the others.
      if (!destroyed.removedAccounts.includes(loginId)) await revokeSession(ctx.database.db, request.session!.id, ctx.clock.now());
      clearSessionCookie(reply, secure);
      return { destroyed: true, accountDeleted: destroyed.removedAccounts.includes(loginId) };
    },
  );

  api.get(
    '/api/records/:recordId/copy',
    { schema: { tags: ['lifecycle'], summary: 'Une copie de tout le DMP (fichier ZIP)', params: recordParams }, preHandler: limited('copy', 10) },
    async (request, reply) => {
      const { recordId } = request.params;
      const { loginId, role, actor, loaded, event, permit } = await standing(request, recordId);
      await permit('export');
      const reader = { loginId, actor, audience: role === 'holder' ? ('holder' as const) : ('representative' as const), state: loaded.state, insMatricule: loaded.facts.insMatricule };
      const planned = await planRecordCopy(ctx, recordId, reader);
      if (!planned.plan.ok) throw tooLarge(planned.plan.totalBytes, planned.plan.limit);
      // Traced before the history is read, so that the copy's own history shows it.
      await traceEvent(ctx, { ...event('export', true, role === 'holder' ? 'titulaire' : 'legal-representative'), personal: { details: { content: 'copy', documents: planned.plan.files.length } } });
      // Sent as it is written: an error before this line is still answered as a problem, one after it cuts the download.
      const archive = await streamRecordCopy(ctx, blobs, recordId, reader, planned);
      return sendZip(reply, `copie-dmp-${parisDay(ctx.clock.now())}.zip`, archive);
    },
  );
}

function lifecycleAnswer(now: Date, status: 'active' | 'closed') {
  return status === 'closed'
    ? { status, closedAt: now.toISOString(), destroyOn: destructionDate(now).toISOString() }
    : { status, closedAt: null, destroyOn: null };
}

const alreadyClosed = () => new AppError(409, 'record-closed', 'DMP déjà fermé', 'Ce DMP est déjà fermé.');
const notClosed = () => new AppError(409, 'record-not-closed', 'DMP ouvert', 'Ce DMP n’est pas fermé : il n’y a rien à réactiver.');

function refusal(action: string, rule: string, explanation: string): AppError {
  if (action === 'close' && rule === 'record-closed') return alreadyClosed();
  if (action === 'reactivate' && rule === 'record-not-closed') return notClosed();
  if (rule === 'not-titulaire' || rule === 'not-representative') return forbidden('Vous n’avez pas accès à ce DMP.');
  return new AppError(403, 'access-denied', 'Accès refusé', explanation);
}

function tooLarge(totalBytes: number, limit: number): AppError {
  return new AppError(
    413,
    'copy-too-large',
    'Copie trop volumineuse',
    `Les documents de ce DMP pèsent ${megabytes(totalBytes)} : c’est trop pour une seule copie (${megabytes(limit)} au plus). Téléchargez les documents un par un, depuis « Mes documents ».`,
  );
}

function sendZip(reply: FastifyReply, name: string, archive: Readable): FastifyReply {
  return reply
    .type('application/zip')
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .send(archive);
}
