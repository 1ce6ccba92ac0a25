/**
 * The patient's access settings as FHIR Consents: GET /fhir/Consent?patient.identifier=… (or
 * patient=Patient/<id>).
 *
 * Who may read them is the policy's to say, and it has no action of its own for reading the
 * sharing settings: 'manage-sharing' is the patient's side only (a professional is always
 * refused it: 'patient-decides'), so it cannot be the one. The action asked is 'read-history'
 * (among professionals, the médecin traitant only): every setting shown here is the outcome of
 * events that history already shows that reader (block, unblock, authorization given or
 * revoked, emergency switches changed, each naming the professional concerned), so the Consents
 * tell the médecin traitant nothing the policy does not already let them read. A refusal is a
 * 403, traced as every refusal.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Bundle, Consent } from '@medplum/fhirtypes';
import { professionalAccess, sharingSettings } from '../../access';
import { findProfessional } from '../../directory';
import type { AppContext } from '../../platform';
import { requireProfessional } from '../professional/guard';
import { fhirBase, fhirResource } from './door';
import { sharingConsents } from './consent-resources';
import { asAnswer, patientOfSearch, refuseOtherParameters, searchsetLinks } from './patient-search';

const consentQuery = z.looseObject({
  'patient.identifier': z.string().max(300).optional(),
  patient: z.string().max(300).optional(),
});

export function registerConsents(api: FastifyInstance, ctx: AppContext): void {
  const routes = api.withTypeProvider<ZodTypeProvider>();
  routes.get('/Consent', { schema: { tags: ['fhir'], querystring: consentQuery, response: { 200: fhirResource('Bundle') } }, preHandler: requireProfessional }, async (request) => {
    const query = request.query;
    refuseOtherParameters(query, ['patient.identifier', 'patient', '_format']);
    const record = await patientOfSearch(ctx, query);
    const access = await professionalAccess(ctx, request.professional!, record.recordId);
    await access.check('read-history', undefined, { action: 'read-list', details: { content: 'sharing' } });
    const settings = await sharingSettings(ctx, record.recordId);
    const { state } = access.loaded;
    const rpps = new Set([...settings.authorizations.map((a) => a.rpps), ...settings.blocks.map((b) => b.rpps), ...state.occupationalConsents.map((c) => c.professionalId)]);
    const names = new Map<string, string>();
    await Promise.all(
      [...rpps].map(async (id) => {
        const p = await findProfessional(ctx.database, id);
        if (p) names.set(id, `${p.firstName} ${p.lastName}`);
      }),
    );
    const consents = sharingConsents({
      recordId: record.recordId,
      settings,
      emergency: state.emergency,
      occupationalConsents: state.occupationalConsents,
      treatingDoctorId: state.treatingDoctorId,
      names,
    });
    const base = fhirBase(ctx);
    return asAnswer<Bundle<Consent>>({
      resourceType: 'Bundle',
      type: 'searchset',
      total: consents.length,
      link: searchsetLinks(`${base}/Consent`, query, null),
      entry: consents.map((resource) => ({ fullUrl: `${base}/Consent/${resource.id}`, resource, search: { mode: 'match' as const } })),
    });
  });
}
