/**
 * IHE MHD Document Recipient: ITI-65 Provide Document Bundle. The bundle is read and checked
 * (provide-bundle.ts) before the record is looked for; the deposit is the JSON API's.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { findRecordByIns, NO_MATCH } from '../../records';
import { depositAsProfessional, type BlobStore } from '../../documents';
import { professionalAccess } from '../../access';
import type { AppContext } from '../../platform';
import { notFound } from '../../platform';
import { requireProfessional } from '../professional/guard';
import { fhirResource } from './door';
import { readProvideBundle } from './provide-bundle';
import { documentFhirId } from './resources';

export function registerDocumentRecipient(api: FastifyInstance, ctx: AppContext, store: BlobStore, bundleLimit: number): void {
  const scope = api.withTypeProvider<ZodTypeProvider>();
  // ---- ITI-65 Provide Document Bundle ----
  scope.post('/', { schema: { tags: ['fhir'], response: { 200: fhirResource('Bundle') } }, bodyLimit: bundleLimit, preHandler: requireProfessional }, async (request, reply) => {
    const provided = readProvideBundle(request.body, ctx.config.MAX_UPLOAD_BYTES);
    const record = await findRecordByIns(ctx, provided.ins.matricule);
    if (!record || record.insOid !== provided.ins.oid) throw notFound(NO_MATCH);
    const me = request.professional!;
    const access = await professionalAccess(ctx, me, record.recordId);
    const deposited = await depositAsProfessional(ctx, store, access, me, record.recordId, {
      bytes: provided.bytes,
      typeCode: provided.typeCode,
      title: provided.title,
      careDate: provided.careDate,
      masked: provided.flags.masked,
      hiddenFromPatient: provided.flags.hiddenFromPatient,
      hiddenFromRepresentatives: provided.flags.hiddenFromRepresentatives,
    });
    const id = documentFhirId({ recordId: record.recordId, documentId: deposited.documentId, version: deposited.version });
    const location = { List: `List/${deposited.documentId}`, DocumentReference: `DocumentReference/${id}`, Binary: `Binary/${id}` };
    return reply.code(200).send({
      resourceType: 'Bundle',
      type: 'transaction-response',
      entry: provided.entryTypes.map((type) => ({ response: { status: '201 Created', location: location[type] } })),
    });
  });
}
