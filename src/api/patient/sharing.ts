import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { emergencySwitches, professionalView as professionalAnswer, sharing } from './answers';
import { actorKindOf, recordClosed, setEmergencySwitches } from '../../records';
import { requirePatientSession } from '../sessions';
import { traceEvent } from '../../audit';
import type { AuditAction } from '../../audit';
import type { AppContext } from '../../platform';
import { AppError, forbidden } from '../../platform';
import { findProfessional, professionLabel, searchProfessionals } from '../../directory';
import type { HealthProfessionalRecord } from '../../directory';
import { blockProfessional, listAuthorizations, recordAccess, revokeAuthorization, unblockProfessional } from '../../access';
import type { Decision } from '../../access';

/**
 * «Gestion du DMP» for the patient (or a legal representative): who has
 * access and why, revoke, block or unblock a professional (not the médecin
 * traitant), and the emergency switches. Every change is traced; none is made on a closed record.
 */

const recordParams = z.object({ recordId: z.uuid() });
const rppsParams = recordParams.extend({ rpps: z.string().regex(/^\d{11}$/, 'Le numéro RPPS a 11 chiffres.') });

/** A closed record answers as every patient-side change does on it (409); other refusals with the policy's sentence. */
function closedOrRefused(decision: Decision): AppError {
  if (decision.rule === 'record-closed') return recordClosed();
  return new AppError(403, 'access-denied', 'Accès refusé', decision.explanation);
}

export function registerPatientSharingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  /**
   * The titulaire or a legal representative managing sharing. A change is asked of the policy
   * ('manage-sharing': a caregiver never, nobody on a closed record), a refusal traced with
   * its rule; reading the settings is left to the titulaire on a closed record.
   */
  async function manager(request: FastifyRequest, recordId: string, { changes = true } = {}) {
    await requirePatientSession(request);
    const loginId = request.session!.accountId;
    const access = await recordAccess(ctx, { loginId }, recordId);
    const role = access.role;
    if (!role) throw await access.refuse('settings-changed', 'not-titulaire', forbidden('Vous n’avez pas accès à ce DMP.'), { setting: 'sharing' });
    const ask = () => access.check('manage-sharing', undefined, { action: 'settings-changed', details: { setting: 'sharing' }, tracedOnSuccessBy: 'caller', refuse: closedOrRefused });
    if (changes || role === 'caregiver') await ask();
    else if (role !== 'holder' && access.loaded.facts.status === 'closed') throw await access.refuse('settings-changed', 'record-closed', recordClosed(), { setting: 'sharing' });
    const trace = (action: AuditAction, details: Record<string, string | boolean>) =>
      traceEvent(ctx, {
        recordId,
        actorKind: actorKindOf(role),
        actorId: loginId,
        action,
        allowed: true,
        rule: role === 'holder' ? 'titulaire' : 'legal-representative',
        personal: { details },
      });
    return { loginId, role, access, trace };
  }

  async function professionalView(rpps: string) {
    const p = await findProfessional(ctx.database, rpps);
    return p ? directoryView(p) : { rpps, name: rpps, profession: null, workplace: null };
  }

  api.get('/api/records/:recordId/sharing', { schema: { tags: ['sharing'], params: recordParams, response: { 200: sharing } } }, async (request) => {
    const { access } = await manager(request, request.params.recordId, { changes: false });
    const { state, facts } = access.loaded;
    const authorizations = await listAuthorizations(ctx, request.params.recordId);
    return {
      treatingDoctor: state.treatingDoctorId ? await professionalView(state.treatingDoctorId) : null,
      authorizations: await Promise.all(
        authorizations.map(async (a) => ({ ...(await professionalView(a.rpps)), basis: a.basis, grantedAt: a.grantedAt.toISOString() })),
      ),
      blocks: await Promise.all(state.blockedProfessionalIds.map(professionalView)),
      emergency: { breakGlass: facts.allowBreakGlass, samu: facts.allowSamu, maskedInEmergency: facts.allowMaskedInEmergency },
    };
  });

  api.delete('/api/records/:recordId/sharing/authorizations/:rpps', { schema: { tags: ['sharing'], params: rppsParams } }, async (request, reply) => {
    const { trace } = await manager(request, request.params.recordId);
    await revokeAuthorization(ctx, request.params.recordId, request.params.rpps);
    await trace('authorization-revoked', { rpps: request.params.rpps });
    return reply.code(204).send();
  });

  api.post(
    '/api/records/:recordId/sharing/blocks',
    { schema: { tags: ['sharing'], params: recordParams, body: z.object({ rpps: z.string().regex(/^\d{11}$/, 'Le numéro RPPS a 11 chiffres.') }), response: { 201: z.object({ blocked: z.literal(true) }) } } },
    async (request, reply) => {
      const { trace } = await manager(request, request.params.recordId);
      await blockProfessional(ctx, request.params.recordId, request.body.rpps);
      await trace('block', { rpps: request.body.rpps });
      return reply.code(201).send({ blocked: true });
    },
  );

  api.delete('/api/records/:recordId/sharing/blocks/:rpps', { schema: { tags: ['sharing'], params: rppsParams } }, async (request, reply) => {
    const { trace } = await manager(request, request.params.recordId);
    await unblockProfessional(ctx, request.params.recordId, request.params.rpps);
    await trace('unblock', { rpps: request.params.rpps });
    return reply.code(204).send();
  });

  api.put(
    '/api/records/:recordId/sharing/emergency',
    { schema: { tags: ['sharing'], params: recordParams, body: emergencySwitches, response: { 200: emergencySwitches } } },
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
    { schema: { tags: ['sharing'], querystring: z.object({ q: z.string().trim().min(2, 'Tapez au moins 2 lettres.').max(60) }), response: { 200: z.object({ professionals: z.array(professionalAnswer) }) } } },
    async (request) => {
      await requirePatientSession(request);
      return { professionals: (await searchProfessionals(ctx.database, request.query.q)).map(directoryView) };
    },
  );
}

function directoryView(p: HealthProfessionalRecord) {
  return { rpps: p.rpps, name: `${p.firstName} ${p.lastName}`, profession: professionLabel(p.professionCode) ?? p.professionCode, workplace: p.workplaceName };
}
