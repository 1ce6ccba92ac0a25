import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorKindOf, requireActiveRecord, roleOnRecord, setEmergencySwitches } from '../../records';
import { requirePatientSession } from '../sessions';
import { traceEvent } from '../../audit';
import type { AuditAction } from '../../audit';
import type { AppContext } from '../../platform';
import { AppError, forbidden } from '../../platform';
import { findProfessional } from '../../directory';
import { professionLabel } from '../../directory';
import type { DirectoryTables } from '../../directory';
import { decide } from '../../access';
import { loadAccessState, sharingDb } from '../../access';

/**
 * «Gestion du DMP» for the patient (or a legal representative): who has
 * access and why, revoke, block or unblock a professional (not the médecin
 * traitant), and the emergency switches. Every change is traced; none is made on a closed record.
 */

const recordParams = z.object({ recordId: z.uuid() });
const rppsParams = recordParams.extend({ rpps: z.string().regex(/^\d{11}$/, 'Le numéro RPPS a 11 chiffres.') });

export function registerPatientSharingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  async function manager(request: FastifyRequest, recordId: string, { changes = true } = {}) {
    await requirePatientSession(request);
    const loginId = request.session!.accountId;
    const role = await roleOnRecord(ctx, loginId, recordId);
    if (!role) throw forbidden('Vous n’avez pas accès à ce DMP.');
    if (role === 'caregiver') await refuseCaregiver(recordId, loginId);
    // A closed record is read by its titulaire only, and changed by nobody until it is reactivated.
    if (changes || role !== 'holder') await requireActiveRecord(ctx, recordId);
    const trace = (action: AuditAction, details: Record<string, string | boolean>) =>
      traceEvent(ctx, {
        recordId,
        actorKind: role === 'holder' ? 'patient' : 'representative',
        actorId: loginId,
        action,
        allowed: true,
        rule: role === 'holder' ? 'titulaire' : 'legal-representative',
        personal: { details },
      });
    return { loginId, role, trace };
  }

  /** A proche aidant never manages sharing: the policy says why, and the attempt is traced. */
  async function refuseCaregiver(recordId: string, loginId: string): Promise<never> {
    const { state } = await loadAccessState(ctx, recordId);
    const decision = decide({ actor: { kind: 'caregiver', id: loginId }, record: state, action: 'manage-sharing', context: { now: ctx.clock.now(), mode: 'normal' } });
    await traceEvent(ctx, { recordId, actorKind: actorKindOf('caregiver'), actorId: loginId, action: 'settings-changed', allowed: false, rule: decision.rule, personal: { details: { setting: 'sharing' } } });
    throw new AppError(403, 'access-denied', 'Accès refusé', decision.explanation);
  }

  async function professionalView(rpps: string) {
    const p = await findProfessional(ctx.database, rpps);
    return { rpps, name: p ? `${p.firstName} ${p.lastName}` : rpps, profession: p ? (professionLabel(p.professionCode) ?? p.professionCode) : null, workplace: p?.workplaceName ?? null };
  }

  api.get('/api/records/:recordId/sharing', { schema: { tags: ['sharing'], params: recordParams } }, async (request) => {
    await manager(request, request.params.recordId, { changes: false });
    const { state, facts } = await loadAccessState(ctx, request.params.recordId);
    const authorizations = await sharingDb(ctx)
      .selectFrom('record_authorization')
      .selectAll()
      .where('record_id', '=', request.params.recordId)
      .where('revoked_at', 'is', null)
      .orderBy('granted_at', 'desc')
      .execute();
    return {
      treatingDoctor: state.treatingDoctorId ? await professionalView(state.treatingDoctorId) : null,
      authorizations: await Promise.all(
        authorizations.map(async (a) => ({ ...(await professionalView(a.rpps)), basis: a.basis, grantedAt: a.granted_at.toISOString() })),
      ),
      blocks: await Promise.all(state.blockedProfessionalIds.map(professionalView)),
      emergency: { breakGlass: facts.allowBreakGlass, samu: facts.allowSamu, maskedInEmergency: facts.allowMaskedInEmergency },
    };
  });

  api.delete('/api/records/:recordId/sharing/authorizations/:rpps', { schema: { tags: ['sharing'], params: rppsParams } }, async (request, reply) => {
    const { trace } = await manager(request, request.params.recordId);
    const revoked = await sharingDb(ctx)
      .updateTable('record_authorization')
      .set({ revoked_at: ctx.clock.now() })
      .where('record_id', '=', request.params.recordId)
      .where('rpps', '=', request.params.rpps)
      .where('revoked_at', 'is', null)
      .returning('rpps')
      .executeTakeFirst();
    if (!revoked) throw new AppError(404, 'not-found', 'Introuvable', 'Ce professionnel n’a pas d’autorisation à retirer.');
    await trace('authorization-revoked', { rpps: request.params.rpps });
    return reply.code(204).send();
  });

  api.post(
    '/api/records/:recordId/sharing/blocks',
    { schema: { tags: ['sharing'], params: recordParams, body: z.object({ rpps: z.string().regex(/^\d{11}$/, 'Le numéro RPPS a 11 chiffres.') }) } },
    async (request, reply) => {
      const { trace } = await manager(request, request.params.recordId);
      const { state } = await loadAccessState(ctx, request.params.recordId);
      if (state.treatingDoctorId === request.body.rpps) {
        throw new AppError(409, 'treating-doctor', 'Blocage impossible', 'Votre médecin traitant ne peut pas être bloqué. Pour cela, changez d’abord de médecin traitant.');
      }
      if (!(await findProfessional(ctx.database, request.body.rpps))) {
        throw new AppError(404, 'not-found', 'Introuvable', 'Ce professionnel n’existe pas dans l’annuaire.');
      }
      const now = ctx.clock.now();
      await sharingDb(ctx)
        .transaction()
        .execute(async (trx) => {
          await trx
            .insertInto('record_block')
            .values({ record_id: request.params.recordId, rpps: request.body.rpps, blocked_at: now })
            .onConflict((oc) => oc.columns(['record_id', 'rpps']).doNothing())
            .execute();
          // A block also ends the authorization: unblocking later must not silently give access back.
          await trx
            .updateTable('record_authorization')
            .set({ revoked_at: now })
            .where('record_id', '=', request.params.recordId)
            .where('rpps', '=', request.body.rpps)
            .where('revoked_at', 'is', null)
            .execute();
        });
      await trace('block', { rpps: request.body.rpps });
      return reply.code(201).send({ blocked: true });
    },
  );

  api.delete('/api/records/:recordId/sharing/blocks/:rpps', { schema: { tags: ['sharing'], params: rppsParams } }, async (request, reply) => {
    const { trace } = await manager(request, request.params.recordId);
    await sharingDb(ctx).deleteFrom('record_block').where('record_id', '=', request.params.recordId).where('rpps', '=', request.params.rpps).execute();
    await trace('unblock', { rpps: request.params.rpps });
    return reply.code(204).send();
  });

  api.put(
    '/api/records/:recordId/sharing/emergency',
    { schema: { tags: ['sharing'], params: recordParams, body: z.object({ breakGlass: z.boolean(), samu: z.boolean(), maskedInEmergency: z.boolean() }) } },
    async (request) => {
      const { trace } = await manager(request, request.params.recordId);
      await setEmergencySwitches(ctx, request.params.recordId, request.body);
      await trace('settings-changed', { setting: 'emergency-access', ...request.body });
      return request.body;
    },
  );

  // The public directory of professionals (names are public), to find someone to block.
  api.get(
    '/api/professionals',
    { schema: { tags: ['sharing'], querystring: z.object({ q: z.string().trim().min(2, 'Tapez au moins 2 lettres.').max(60) }) } },
    async (request) => {
      await requirePatientSession(request);
      const q = `%${request.query.q.replace(/[%_\\]/g, '')}%`;
      const rows = await ctx.database.db
        .withTables<DirectoryTables>()
        .selectFrom('health_professional')
        .select(['rpps', 'first_name', 'last_name', 'profession_code', 'workplace_name'])
        .where((eb) => eb.or([eb('last_name', 'ilike', q), eb('first_name', 'ilike', q)]))
        .orderBy('last_name')
        .limit(20)
        .execute();
      return {
        professionals: rows.map((r) => ({ rpps: r.rpps, name: `${r.first_name} ${r.last_name}`, profession: professionLabel(r.profession_code) ?? r.profession_code, workplace: r.workplace_name })),
      };
    },
  );
}
