import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notificationPreferences } from './answers';
import { accountsDb, findSignInAccount } from '../../accounts';
import { traceAccountEvent } from '../../events';
import { requirePatientSession } from '../sessions';
import type { AppContext } from '../../platform';
import { NOTICE_FAMILIES, NOTICE_FAMILY_TEXT, preferencesOfAccount, savePreferences } from '../../notify';

/**
 * GET / PUT /api/me/notification-preferences: the signed-in patient's choices of notifications,
 * one switch per family of events and per channel (DOMAIN.md §6). A change is traced in the
 * history of the account's records, as the other account settings are.
 */

const choice = z.object({
  family: z.enum(NOTICE_FAMILIES, { error: 'Ce type de notification n’existe pas.' }),
  email: z.boolean({ error: 'Indiquez oui ou non pour le mail.' }),
  sms: z.boolean({ error: 'Indiquez oui ou non pour le SMS.' }),
});
const putBody = z.object({
  preferences: z
    .array(choice)
    .min(1, 'Envoyez au moins un choix.')
    .max(NOTICE_FAMILIES.length)
    .refine((list) => new Set(list.map((c) => c.family)).size === list.length, 'Chaque type de notification ne peut figurer qu’une fois.'),
});

export function registerNotificationPreferenceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  async function answer(loginId: string) {
    const [prefs, account] = await Promise.all([preferencesOfAccount(ctx.database.db, loginId), findSignInAccount(ctx, loginId)]);
    return {
      preferences: NOTICE_FAMILIES.map((family) => ({ family, ...NOTICE_FAMILY_TEXT[family], ...prefs[family] })),
      /** Where the messages go: a channel without an address sends nothing. */
      contact: { email: account?.email ?? null, mobile: account?.mobile ?? null },
    };
  }

  api.get(
    '/api/me/notification-preferences',
    { schema: { tags: ['account'], summary: 'Mes choix de notifications (mail, SMS) par type d’événement', response: { 200: notificationPreferences } } },
    async (request, reply) => {
      await requirePatientSession(request);
      reply.header('cache-control', 'private, no-store');
      return answer(request.session!.accountId);
    },
  );

  api.put(
    '/api/me/notification-preferences',
    { schema: { tags: ['account'], summary: 'Change mes choix de notifications', body: putBody, response: { 200: notificationPreferences } } },
    async (request) => {
      await requirePatientSession(request);
      const loginId = request.session!.accountId;
      await savePreferences(ctx.database.db, loginId, request.body.preferences, ctx.clock.now());
      await traceAccountEvent(ctx, loginId, 'settings-changed', true, 'titulaire', { setting: 'notifications' });
      return answer(loginId);
    },
  );
}
