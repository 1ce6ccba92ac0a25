/**
 * The patient's access history as FHIR AuditEvents: GET /fhir/AuditEvent?patient.identifier=…
 * (or patient=Patient/<id>), with `date` and `_count` + next links. The trail is the one the
 * JSON door reads (GET /api/pro/records/:id/history): the same policy action, 'read-history'
 * (among professionals, the médecin traitant only, DOMAIN.md §4), decided and traced the same
 * way, a refusal being a 403 OperationOutcome. Reading the history is itself traced before the
 * page is read, so it appears on it (IHE BasicAudit §1:52.4.1.2: « accessing the audit log is
 * an auditable event »).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { auditCipher, readHistory } from '../../audit';
import { professionalAccess } from '../../access';
import type { AppContext } from '../../platform';
import { requireProfessional } from '../professional/guard';
import { fhirBase, fhirResource } from './door';
import { auditEvent, readDateRange } from './audit-event-resources';
import { asAnswer, patientOfSearch, refuseOtherParameters, searchsetLinks } from './patient-search';

const PAGE_MAX = 200;

const auditQuery = z.looseObject({
  'patient.identifier': z.string().max(300).optional(),
  patient: z.string().max(300).optional(),
  date: z.union([z.string(), z.array(z.string()).max(4)]).optional(),
  // Capped rather than refused: a client asking for more gets the largest page and a next link.
  _count: z.coerce.number().int().min(1, 'Le paramètre _count est au moins 1.').default(50).transform((n) => Math.min(n, PAGE_MAX)),
  /** The next link's cursor: the events older than this seq, so that a page never shifts as new events are appended. */
  _cursor: z.coerce.number().int().min(1).optional(),
});

export function registerAuditEvents(api: FastifyInstance, ctx: AppContext): void {
  const routes = api.withTypeProvider<ZodTypeProvider>();
  routes.get('/AuditEvent', { schema: { tags: ['fhir'], querystring: auditQuery, response: { 200: fhirResource('Bundle') } }, preHandler: requireProfessional }, async (request) => {
    const query = request.query;
    refuseOtherParameters(query, ['patient.identifier', 'patient', 'date', '_count', '_cursor', '_format']);
    const range = readDateRange([query.date ?? []].flat());
    const record = await patientOfSearch(ctx, query);
    const access = await professionalAccess(ctx, request.professional!, record.recordId);
    await access.check('read-history', undefined, { action: 'read-list', details: { content: 'history' } });
    // One more than the page: whether there is a next page, without counting the whole trail.
    const events = await readHistory(ctx.database.db, record.recordId, auditCipher(ctx.database.db, ctx.masterKey, ctx.clock.now()), {
      ...range,
      ...(query._cursor ? { beforeSeq: query._cursor } : {}),
      limit: query._count + 1,
    });
    const page = events.slice(0, query._count);
    const base = fhirBase(ctx);
    return asAnswer<Bundle<AuditEvent>>({
      resourceType: 'Bundle',
      type: 'searchset',
      link: searchsetLinks(`${base}/AuditEvent`, query, events.length > query._count ? { _cursor: page.at(-1)!.seq } : null),
      ...(page.length
        ? {
            entry: page.map((event) => {
              const resource = auditEvent(event, record.recordId);
              return { fullUrl: `${base}/AuditEvent/${resource.id}`, resource, search: { mode: 'match' as const } };
            }),
          }
        : {}),
    });
  });
}
