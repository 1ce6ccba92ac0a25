import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { healthEntry, healthProfile } from './answers';
import { findRecord, recordClosed } from '../../records';
import { recordAccess } from '../../access';
import { requirePatientSession } from '../sessions';
import type { AppContext } from '../../platform';
import { forbidden } from '../../platform';
import {
  addEntry,
  byKind,
  deleteEntry,
  HEALTH_ENTRY_KINDS,
  listEntries,
  treatingDoctorOf,
  updateEntry,
  type HealthEntryAuthor,
} from '../../documents';

/**
 * The patient's «Ma santé» and «Volontés et droits»: the structured profile and wishes of a
 * record, read and changed by its holder or legal representative. Advance directives are
 * documents (EXPPAT_3), deposited and listed by the document routes.
 */

const recordParams = z.object({ recordId: z.uuid() });
const entryParams = recordParams.extend({ entryId: z.uuid({ error: 'Cette information n’existe pas.' }) });
const kind = z.enum(HEALTH_ENTRY_KINDS, { error: `Choisissez une rubrique : ${HEALTH_ENTRY_KINDS.join(', ')}.` });
// The content's fields depend on the kind: the service checks them and names each wrong one.
const content = z.record(z.string(), z.unknown(), { error: 'Envoyez le contenu de l’information.' });

export function registerHealthProfileRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  /** The signed-in patient acting on the record, as the author of what they change; or a refusal. */
  async function patientOn(request: FastifyRequest, recordId: string, { changes = true } = {}): Promise<HealthEntryAuthor> {
    await requirePatientSession(request);
    const loginId = request.session!.accountId;
    const access = await recordAccess(ctx, { loginId }, recordId);
    const { role, loaded } = access;
    const action = changes ? 'settings-changed' : 'read-list';
    // A caregiver reads and adds documents only (DOMAIN.md §1), not the health profile.
    if (!role || role === 'caregiver') {
      throw await access.refuse(action, role ? 'caregiver-limits' : 'not-titulaire', forbidden('Vous n’avez pas accès à ce DMP.'), { content: 'health-profile' });
    }
    // A closed record is read by its titulaire only, and changed by nobody until it is reactivated.
    if ((changes || role !== 'holder') && loaded.facts.status === 'closed') throw await access.refuse(action, 'record-closed', recordClosed(), { content: 'health-profile' });
    return { kind: role === 'holder' ? 'patient' : 'representative', id: loginId };
  }

  api.get('/api/records/:recordId/health-profile', { schema: { tags: ['health-profile'], params: recordParams, response: { 200: healthProfile } } }, async (request) => {
    const { recordId } = request.params;
    await patientOn(request, recordId, { changes: false });
    const [entries, record] = await Promise.all([listEntries(ctx, recordId), findRecord(ctx, recordId)]);
    return { entries: byKind(entries), treatingDoctor: await treatingDoctorOf(ctx, record.insMatricule) };
  });

  api.post(
    '/api/records/:recordId/health-profile/entries',
    { schema: { tags: ['health-profile'], params: recordParams, body: z.object({ kind, content }), response: { 201: healthEntry } } },
    async (request, reply) => {
      const author = await patientOn(request, request.params.recordId);
      return reply.code(201).send(await addEntry(ctx, request.params.recordId, author, request.body));
    },
  );

  api.put(
    '/api/records/:recordId/health-profile/entries/:entryId',
    { schema: { tags: ['health-profile'], params: entryParams, body: z.object({ content }), response: { 200: healthEntry } } },
    async (request) => {
      const author = await patientOn(request, request.params.recordId);
      return updateEntry(ctx, request.params.recordId, request.params.entryId, author, request.body.content);
    },
  );

  api.delete(
    '/api/records/:recordId/health-profile/entries/:entryId',
    { schema: { tags: ['health-profile'], params: entryParams } },
    async (request, reply) => {
      const author = await patientOn(request, request.params.recordId);
      await deleteEntry(ctx, request.params.recordId, request.params.entryId, author);
      return reply.code(204).send();
    },
  );
}
