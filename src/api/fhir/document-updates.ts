/**
 * Updating a document's metadata (ANS PDSm st_maj, flux 03 and 04; PDSm4DMP TD3.3a masking,
 * TD3.3b visibility to the patient, TD3.3c deletion): a JSON Patch on the DocumentReference, by
 * its id or, as PDSm asks ("conditional patch"), by its business identifier. Each change is the
 * JSON API's action, decided by the policy and traced the same way: a professional may make his
 * own document (or, as médecin traitant, any) visible to the patient and delete his own; masking
 * is the patient's decision, so the policy refuses it to professionals.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { deleteDocument, describeDocument, documentIdOfUniqueId, findDocument, setDocumentFlag } from '../../documents';
import { documentState, professionalAccess, type Action, type ProfessionalAccess } from '../../access';
import type { RecordFacts } from '../../records';
import { findRecord } from '../../records';
import type { AppContext } from '../../platform';
import { AppError, badRequest, notFound } from '../../platform';
import { requireProfessional } from '../professional/guard';
import { fhirBase, fhirResource, recordOfIdentifier } from './door';
import { applyMetadataPatch, askedChanges } from './document-patch';
import { documentReference, parseDocumentFhirId } from './resources';

const JSON_PATCH = 'application/json-patch+json';
const NOT_FOUND = 'Ce document n’existe pas dans ce DMP.';

const byIdentifier = z.object({
  identifier: z.string({ error: 'Désignez le document par identifier=<system>|<uniqueId> (son masterIdentifier).' }).min(1),
  'patient.identifier': z.string({ error: 'Désignez aussi le patient : patient.identifier=urn:oid:1.2.250.1.213.1.4.8|<INS>. Un identifiant unique ne l’est que dans le DMP d’un patient.' }).regex(/^[^|]+\|[^|]+$/),
});

export function registerDocumentUpdates(api: FastifyInstance, ctx: AppContext): void {
  // A JSON Patch is small: a few operations on two elements.
  api.addContentTypeParser(JSON_PATCH, { parseAs: 'string', bodyLimit: 64 * 1024 }, api.getDefaultJsonParser('error', 'error'));
  const scope = api.withTypeProvider<ZodTypeProvider>();
  const options = { preHandler: requireProfessional, preValidation: onlyJsonPatch };

  scope.patch('/DocumentReference/:id', { ...options, schema: { tags: ['fhir'], params: z.object({ id: z.string().max(64) }), response: { 200: fhirResource('DocumentReference') } } }, async (request) => {
    const key = parseDocumentFhirId(request.params.id);
    if (!key) throw notFound(NOT_FOUND);
    const record = await findRecord(ctx, key.recordId).catch(() => {
      throw notFound(NOT_FOUND);
    });
    return update(ctx, request, record, key.documentId, key.version);
  });

  // The conditional patch: `identifier` is the masterIdentifier (the LGC's uniqueId, PDSm4DMP
  // annexe identifiants), which names a document only within one patient's DMP: the patient is
  // given too, so that the lookup goes to one record (its shard) and never across records.
  scope.patch('/DocumentReference', { ...options, schema: { tags: ['fhir'], querystring: byIdentifier, response: { 200: fhirResource('DocumentReference') } } }, async (request) => {
    const record = await recordOfIdentifier(ctx, request.query['patient.identifier']);
    const token = request.query.identifier;
    const bar = token.indexOf('|');
    if (bar >= 0 && token.slice(0, bar) !== 'urn:ietf:rfc:3986' && token.slice(0, bar) !== '') {
      throw badRequest('L’identifiant unique d’un document a le système urn:ietf:rfc:3986.');
    }
    const found = await documentIdOfUniqueId(ctx, record.recordId, token.slice(bar + 1));
    if (!found) throw notFound(NOT_FOUND);
    return update(ctx, request, record, found.documentId, found.version);
  });
}

/** PDSm recommends the JSON Patch; the FHIRPath patch (Parameters) and XML patch are not taken here. */
async function onlyJsonPatch(request: FastifyRequest): Promise<void> {
  if (!String(request.headers['content-type'] ?? '').startsWith(JSON_PATCH)) {
    throw new AppError(415, 'unsupported-media-type', 'Format non accepté', `Une mise à jour de métadonnées s’envoie en JSON Patch (${JSON_PATCH}).`);
  }
}

async function update(ctx: AppContext, request: FastifyRequest, record: RecordFacts, documentId: string, version: number) {
  const me = request.professional!;
  const access = await professionalAccess(ctx, me, record.recordId);
  const row = await findDocument(ctx, record.recordId, documentId, version).catch(() => {
    throw notFound(NOT_FOUND);
  });
  if (row.version !== version) throw notFound(NOT_FOUND);
  const before = documentReference(await describeDocument(ctx, row), record, fhirBase(ctx));
  const after = applyMetadataPatch({ status: before.status, securityLabel: before.securityLabel ?? [] }, request.body);
  const asked = askedChanges(
    { status: before.status, masked: row.masked, hiddenFromPatient: row.hidden_from_patient, hiddenFromRepresentatives: row.hidden_from_representatives, confidentiality: row.confidentiality },
    after,
  );
  // Every change decided first, then each done and traced: a refusal of one leaves all undone.
  const decided = await decide(access, row, asked);
  for (const change of decided) {
    if (change.action === 'mask' || change.action === 'unmask') await setDocumentFlag(ctx, record.recordId, row.document_id, { masked: change.action === 'mask' });
    if (change.action === 'make-visible') await setDocumentFlag(ctx, record.recordId, row.document_id, { hidden_from_patient: false });
    if (change.action === 'delete') await deleteDocument(ctx, record.recordId, row.document_id, me.rpps);
    await access.trace(change.action, change.rule, { documentId: row.document_id });
  }
  const updated = await findDocument(ctx, record.recordId, row.document_id, row.version);
  // A copy: the answer's schema wants a plain object, not the interface.
  return { ...documentReference(await describeDocument(ctx, updated), record, fhirBase(ctx)) };
}

/** The JSON API's decisions, a refusal traced as it traces them (403 with the policy's sentence). */
async function decide(access: ProfessionalAccess, row: Awaited<ReturnType<typeof findDocument>>, asked: ReturnType<typeof askedChanges>) {
  const state = documentState(row);
  const wanted: { action: Action; audit: 'mask' | 'unmask' | 'make-visible' | 'delete' }[] = [
    ...(asked.masked === undefined ? [] : [asked.masked ? ({ action: 'mask', audit: 'mask' } as const) : ({ action: 'unmask', audit: 'unmask' } as const)]),
    ...(asked.makeVisibleToPatient ? [{ action: 'make-visible-to-patient', audit: 'make-visible' } as const] : []),
    ...(asked.delete ? [{ action: 'delete', audit: 'delete' } as const] : []),
  ];
  const decided = [];
  for (const { action, audit } of wanted) {
    const { rule } = await access.check(action, state, { action: audit, documentId: row.document_id, tracedOnSuccessBy: 'caller' });
    decided.push({ action: audit, rule });
  }
  return decided;
}
