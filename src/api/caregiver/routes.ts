import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caregiverList, invitationAccepted, invitationChecked, invitationSent } from './answers';
import { recordAccess } from '../../access';
import { perAddress, rateLimitRules } from '../rate-limit';
import { requirePatientSession } from '../sessions';
import { traceEvent } from '../../audit';
import type { AuditAction } from '../../audit';
import type { AppContext } from '../../platform';
import { AppError, forbidden, invalidField } from '../../platform';
import { normalizeEmail, normalizeFrenchMobile } from '../../directory';
import { acceptInvitation, checkInvitation, inviteCaregiver, listCaregivers, patientNameOf, removeCaregiver } from '../../accounts';
import { actorKindOf } from '../../records';

/**
 * «Mes proches aidants» (DOMAIN.md §1) over JSON: the titulaire lists, invites and removes
 * caregivers; the invited person checks and accepts an invitation before signing in.
 */

const recordParams = z.object({ recordId: z.uuid() });
const caregiverParams = recordParams.extend({ caregiverId: z.uuid() });
const required = (what: string) => z.string().trim().min(1, `${what} est obligatoire.`).max(200);
const invitationBody = z.object({ code: required('Le code d’invitation'), email: required('L’adresse mail') });
const HOUR = 3600;

function validEmail(value: string): string {
  const email = normalizeEmail(value);
  if (!email) throw invalidField('email', 'Cette adresse mail n’est pas valable.');
  return email;
}

export function registerCaregiverRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const byAddress = (name: string, limit: number) => rateLimitRules(ctx, perAddress(name, limit, HOUR));

  /**
   * Managing caregivers is managing who shares the record: the policy decides ('manage-sharing',
   * which a caregiver never has), and only the titulaire invites (a representative's child or
   * protected adult chooses their own caregivers when they can). Refusals are traced.
   */
  async function titulaireOf(request: FastifyRequest, recordId: string, auditAction: AuditAction) {
    await requirePatientSession(request);
    const loginId = request.session!.accountId;
    const access = await recordAccess(ctx, { loginId }, recordId);
    const role = access.role;
    if (!role) throw await access.refuse(auditAction, 'not-titulaire', forbidden('Vous n’avez pas accès à ce DMP.'), { target: 'proches aidants' });
    const actorKind = actorKindOf(role);
    const decision = access.preview('manage-sharing');
    const rule = decision.allowed && role !== 'holder' ? 'not-titulaire' : decision.rule;
    if (!decision.allowed || role !== 'holder') {
      await traceEvent(ctx, { recordId, actorKind, actorId: loginId, action: auditAction, allowed: false, rule, personal: { details: { target: 'proches aidants' } } });
      const detail = decision.allowed ? 'Seul le titulaire du DMP choisit ses proches aidants.' : decision.explanation;
      throw new AppError(403, 'access-denied', 'Accès refusé', detail);
    }
    return { loginId };
  }

  api.get('/api/records/:recordId/caregivers', { schema: { tags: ['caregivers'], params: recordParams, response: { 200: caregiverList } } }, async (request) => {
    await titulaireOf(request, request.params.recordId, 'settings-changed');
    return { caregivers: await listCaregivers(ctx, request.params.recordId) };
  });

  api.post(
    '/api/records/:recordId/caregivers',
    {
      schema: {
        tags: ['caregivers'],
        params: recordParams,
        body: z.object({ firstName: required('Le prénom'), lastName: required('Le nom'), email: required('L’adresse mail') }),
        response: { 201: invitationSent },
      },
      preHandler: byAddress('caregiver-invite', 20),
    },
    async (request, reply) => {
      const { recordId } = request.params;
      const { loginId } = await titulaireOf(request, recordId, 'authorization-given');
      const { firstName, lastName } = request.body;
      const invited = await inviteCaregiver(ctx, recordId, loginId, { firstName, lastName, email: validEmail(request.body.email) }, await patientNameOf(ctx, recordId));
      return reply.code(201).send(invited);
    },
  );

  api.delete('/api/records/:recordId/caregivers/:caregiverId', { schema: { tags: ['caregivers'], params: caregiverParams } }, async (request, reply) => {
    const { recordId, caregiverId } = request.params;
    const { loginId } = await titulaireOf(request, recordId, 'authorization-revoked');
    await removeCaregiver(ctx, recordId, caregiverId, loginId);
    return reply.code(204).send();
  });

  // ---- The invited person, before signing in --------------------------------------------------
  api.post(
    '/api/caregiver-invitations/check',
    { schema: { tags: ['caregivers'], body: invitationBody, response: { 200: invitationChecked } }, preHandler: byAddress('caregiver-check', 20) },
    async (request) => checkInvitation(ctx, { code: request.body.code, email: validEmail(request.body.email) }),
  );

  api.post(
    '/api/caregiver-invitations/accept',
    {
      schema: {
        tags: ['caregivers'],
        body: invitationBody.extend({
          loginId: z.string().trim().max(40).optional(),
          password: z.string().max(1024).optional(),
          mobile: z.string().trim().max(40).optional(),
          newPassword: z.string().max(1024).optional(),
          newPasswordConfirmation: z.string().max(1024).optional(),
        }),
        response: { 201: invitationAccepted },
      },
      preHandler: byAddress('caregiver-accept', 20),
    },
    async (request, reply) => {
      const body = request.body;
      const invitation = { code: body.code, email: validEmail(body.email) };
      let accepted;
      if (body.loginId) {
        if (!body.password) throw invalidField('password', 'Le mot de passe est obligatoire.');
        accepted = await acceptInvitation(ctx, invitation, { kind: 'existing', loginId: body.loginId, password: body.password });
      } else {
        const mobile = normalizeFrenchMobile(body.mobile ?? '');
        if (!mobile) throw invalidField('mobile', 'Donnez un numéro de portable valable, pour recevoir vos codes de connexion. Exemple : 06 12 34 56 78.');
        if (!body.newPassword) throw invalidField('newPassword', 'Choisissez un mot de passe.');
        accepted = await acceptInvitation(ctx, invitation, {
          kind: 'new',
          mobile,
          newPassword: body.newPassword,
          newPasswordConfirmation: body.newPasswordConfirmation ?? '',
        });
      }
      return reply.code(201).send(accepted);
    },
  );
}
