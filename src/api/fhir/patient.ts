/**
 * IHE PDQm Patient Demographics Supplier: ITI-78 Mobile Patient Demographics Query, as the
 * PDSm4DMP guide uses it for « TD0.2 » (ANS IG-FHIR-PDSM4DMP-EEDS, transaction_td02.md: « Flux
 * TD02 — Requête / Réponse »): does this INS have a DMP, is it open, what is this professional
 * to it. GET and POST `_search` (PDQm ITI-78 §2:3.78.4.1.2: a supplier SHALL support both), and
 * the Retrieve Patient Resource read (§2:3.78.4.3).
 *
 * The lookup is the JSON door's (GET /api/pro/patients): a professional only, under the same
 * per-professional ceiling (src/api/rate-limit.ts), and the record found by INS in the records
 * module. What the professional is told is the policy's (patientFor below): its verdict for
 * this professional travels in the answer, and the identity only to whom may read the record.
 * A closed DMP is answered (active=false, its closure date), as TD02 asks; its traits are not,
 * nobody reading a closed DMP (the TD02 example shows them: the policy here says otherwise).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { findRecord, findRecordByIns, type RecordFacts } from '../../records';
import { professionalAccess, type ProfessionalAccess } from '../../access';
import type { AppContext } from '../../platform';
import { AppError, notFound } from '../../platform';
import type { Professional } from '../../accounts';
import { patientLookupsOfProfessional, rateLimitRules } from '../rate-limit';
import { requireProfessional } from '../professional/guard';
import { FHIR_CONTENT_TYPE, fhirBase, fhirResource } from './door';
import { dmpPatient } from './patient-resources';
import { candidates, matchesCriteria, readPatientQuery, type PatientCriteria, type SearchParams } from './patient-query';
import { asAnswer, searchsetLinks } from './patient-search';

const FORM = 'application/x-www-form-urlencoded';
const readParams = z.object({ id: z.string().max(64) });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function registerPatientDemographics(api: FastifyInstance, ctx: AppContext): void {
  // A form body arrives as its raw string, as the other POST _search of /fhir take it (document-responder.ts
  // installs that parser for the whole door); this scope installs the same one only if it is not there.
  void api.register(async (scope) => {
    if (!scope.hasContentTypeParser(FORM)) {
      scope.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => done(null, body));
    }
    const routes = scope.withTypeProvider<ZodTypeProvider>();
    const guards = [requireProfessional, rateLimitRules(ctx, patientLookupsOfProfessional)];
    const bundle = { 200: fhirResource('Bundle') };

    routes.get('/Patient', { schema: { tags: ['fhir'], response: bundle }, preHandler: guards }, async (request, reply) =>
      search(request, reply, request.query as SearchParams),
    );
    routes.post('/Patient/_search', { schema: { tags: ['fhir'], response: bundle }, preHandler: guards }, async (request, reply) => {
      if (!String(request.headers['content-type'] ?? '').startsWith(FORM)) {
        throw new AppError(415, 'unsupported-media-type', 'Format non pris en charge', `Une recherche par POST envoie ses paramètres en ${FORM}.`);
      }
      // FHIR search: the parameters of the URL and of the body together.
      return search(request, reply, mergeParams(request.query as SearchParams, formParams(typeof request.body === 'string' ? request.body : '')));
    });

    routes.get('/Patient/:id', { schema: { tags: ['fhir'], params: readParams, response: { 200: fhirResource('Patient') } }, preHandler: guards }, async (request) => {
      // PDQm ITI-78 §2:3.78.4.3.3, case 2: an unknown id is a 404.
      const missing = () => notFound('Aucun DMP ne correspond à cet identifiant.');
      if (!UUID.test(request.params.id)) throw missing();
      const record = await findRecord(ctx, request.params.id).catch((error: unknown) => {
        if (error instanceof AppError && error.status === 404) throw missing();
        throw error;
      });
      return asAnswer(await patientFor(ctx, request.professional!, record));
    });
  });

  async function search(request: FastifyRequest, reply: FastifyReply, params: SearchParams) {
    const query = readPatientQuery(params);
    if (!query.ok) return unknownDomain(reply, request, query.unknownSystem);
    const records = await recordsMatching(ctx, query.criteria);
    const patients: Patient[] = [];
    for (const record of records) patients.push(await patientFor(ctx, request.professional!, record));
    const base = fhirBase(ctx);
    return asAnswer<Bundle<Patient>>({
      resourceType: 'Bundle',
      type: 'searchset',
      // Case 3 (§2:3.78.4.1.3): no DMP for this INS is a bundle with total 0 and no entry (TD02: « 0 entrée : aucun DMP n’existe »).
      total: patients.length,
      link: searchsetLinks(`${base}/Patient`, params, null),
      ...(patients.length ? { entry: patients.map((resource) => ({ fullUrl: `${base}/Patient/${resource.id}`, resource, search: { mode: 'match' as const } })) } : {}),
    });
  }
}

async function recordsMatching(ctx: AppContext, criteria: PatientCriteria): Promise<RecordFacts[]> {
  const { matricules, ids } = candidates(criteria);
  const found = await Promise.all([
    ...matricules.map((m) => findRecordByIns(ctx, m)),
    ...ids.map((id) => findRecord(ctx, id).catch((error: unknown) => (error instanceof AppError && error.status === 404 ? null : Promise.reject(error)))),
  ]);
  return found.filter((r): r is RecordFacts => r !== null && matchesCriteria(criteria, r));
}

/**
 * The Patient as this professional may be told about it. The identity traits are the record's
 * first content: given only to whom the policy lets read the record, a refusal being traced,
 * exactly as GET /api/pro/records/:id does (#11 finding 3). Refused, the professional still
 * learns what TD0.2 is for: the DMP exists (they gave its INS), whether it is open, and the
 * policy's verdict with its sentence, so that their software can ask for the patient's consent.
 */
async function patientFor(ctx: AppContext, me: Professional, record: RecordFacts): Promise<Patient> {
  const access: ProfessionalAccess = await professionalAccess(ctx, me, record.recordId);
  const reading = access.preview('list');
  if (!reading.allowed) await access.trace('read-list', reading.rule, { allowed: false, details: { content: 'patient' } });
  const { facts, person, state } = access.loaded;
  return dmpPatient({
    recordId: facts.recordId,
    ins: { oid: facts.insOid, matricule: facts.insMatricule },
    status: facts.status,
    closedAt: facts.closedAt,
    person: reading.allowed ? person : null,
    asker: { treatingDoctor: state.treatingDoctorId === me.rpps, reading },
  });
}

/** PDQm ITI-78 §2:3.78.4.1.3, case 4: the preferred answer is a 404 with this warning. */
function unknownDomain(reply: FastifyReply, request: FastifyRequest, system: string): FastifyReply {
  return reply
    .code(404)
    .type(FHIR_CONTENT_TYPE)
    .send({
      resourceType: 'OperationOutcome',
      id: request.id,
      issue: [
        {
          severity: 'warning',
          code: 'not-found',
          details: { text: `Ce serveur ne connaît que l’INS (OID du NIR ou du NIA) : ${system} n’en est pas un.` },
          diagnostics: 'targetSystem not found',
          expression: ['identifier'],
        },
      ],
    });
}

function formParams(body: string): SearchParams {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const held = out[name];
    out[name] = held === undefined ? value : [held, value].flat();
  }
  return out;
}

function mergeParams(a: SearchParams, b: SearchParams): SearchParams {
  const out: Record<string, unknown> = { ...a };
  for (const [name, value] of Object.entries(b)) out[name] = name in out ? [out[name], value].flat() : value;
  return out;
}
