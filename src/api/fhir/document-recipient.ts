/**
 * IHE MHD Document Recipient: ITI-65 Provide Document Bundle (MHD 4.2 §2:3.65; ANS PDSm
 * st_ajout; PDSm4DMP TD2 and, for a replacement, TD2.1). The bundle is read and checked
 * (provide-bundle.ts) before the record is looked for; its documents are then decided by the
 * policy one by one and stored all together, as the JSON API's deposits are (documents module).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { findRecord, findRecordByIns, NO_MATCH, type RecordFacts } from '../../records';
import { depositBundleAsProfessional, type BlobStore, type BundledDocument } from '../../documents';
import { professionalAccess } from '../../access';
import type { AppContext } from '../../platform';
import { AppError, notFound } from '../../platform';
import { requireProfessional } from '../professional/guard';
import { fhirResource } from './door';
import { expressionOfDepositField, readProvideBundle, type PatientDesignation, type ProvidedBundle } from './provide-bundle';
import { documentFhirId, submissionSetFhirId } from './resources';

export function registerDocumentRecipient(api: FastifyInstance, ctx: AppContext, store: BlobStore, bundleLimit: number): void {
  const scope = api.withTypeProvider<ZodTypeProvider>();
  // ---- ITI-65 Provide Document Bundle ----
  scope.post('/', { schema: { tags: ['fhir'], response: { 200: fhirResource('Bundle') } }, bodyLimit: bundleLimit, preHandler: requireProfessional }, async (request, reply) => {
    const me = request.professional!;
    const provided = readProvideBundle(request.body, { maxBytes: ctx.config.MAX_UPLOAD_BYTES, rpps: me.rpps });
    const record = await recordOf(ctx, provided.patients);
    const documents = provided.documents.map((d, i): BundledDocument => {
      if (d.replaces === 'unknown' || (d.replaces && d.replaces.recordId !== record.recordId)) {
        // Another record's document is answered like one that does not exist: nothing leaks.
        throw new AppError(404, 'not-found', 'Introuvable', 'Le document à remplacer n’existe pas dans ce DMP.', [
          { field: `Bundle.entry[${provided.positions[i]!.reference}].resource.relatesTo`, message: 'Document à remplacer introuvable.' },
        ]);
      }
      return {
        bytes: d.bytes,
        typeCode: d.typeCode,
        title: d.title,
        careDate: d.careDate,
        // A label adds to what a CDA's own confidentialityCode says; the policy decides on both.
        masked: d.flags.masked || undefined,
        hiddenFromPatient: d.flags.hiddenFromPatient || undefined,
        hiddenFromRepresentatives: d.flags.hiddenFromRepresentatives || undefined,
        metadata: d.metadata,
        declared: d.declared,
        ...(d.replaces ? { replaces: { documentId: d.replaces.documentId, version: d.replaces.version } } : {}),
      };
    });
    const access = await professionalAccess(ctx, me, record.recordId);
    const deposited = await depositBundleAsProfessional(ctx, store, access, me, record.recordId, { documents, submissionSet: provided.submissionSet }).catch(
      (error: unknown) => {
        throw locateRefusal(error, provided.positions);
      },
    );
    return reply.code(200).send(transactionResponse(provided, record.recordId, deposited));
  });
}

/** The one record every subject of the bundle designates (MHD: all of them "the identity of the Patient"). */
async function recordOf(ctx: AppContext, patients: PatientDesignation[]): Promise<RecordFacts> {
  const records = await Promise.all(
    patients.map(async (patient) => {
      if ('recordId' in patient) return findRecord(ctx, patient.recordId).catch(() => null);
      const record = await findRecordByIns(ctx, patient.ins.matricule);
      return record && record.insOid === patient.ins.oid ? record : null;
    }),
  );
  if (records.some((r) => r === null)) throw notFound(NO_MATCH);
  if (new Set(records.map((r) => r!.recordId)).size > 1) {
    throw new AppError(422, 'invalid-resource', 'Ressource incorrecte', 'Le lot de soumission (List) et ses documents ne désignent pas le même patient.', [
      { field: 'Bundle.entry.resource.subject', message: 'Patients différents.' },
    ]);
  }
  return records[0]!;
}

/** A refusal about one document, its fields named as elements of the Bundle (OperationOutcome.issue.expression). */
function locateRefusal(error: unknown, positions: ProvidedBundle['positions']): unknown {
  if (!(error instanceof AppError) || !error.errors?.length) return error;
  const seen = new Set<string>();
  const errors = error.errors
    .map((f) => ({ field: expressionOfDepositField(f.field, positions), message: f.message }))
    .filter((f) => !seen.has(f.field) && seen.add(f.field));
  return new AppError(error.status, error.type, error.title, error.detail, errors);
}

/**
 * MHD 4.2 §2:3.65.4.2.2: one entry per request entry, in the same order; 201 and the location
 * of what was created; 200 for the PATCH that superseded a replaced DocumentReference (PDSm4DMP
 * TD2.1); a relatesTo code not acted on is a warning of its entry (Table 2:3.65.4.1.3-1).
 */
function transactionResponse(
  provided: ProvidedBundle,
  recordId: string,
  deposited: { submissionSetId: string | null; documents: { documentId: string; version: number }[] },
) {
  const idOf = (document: number) => documentFhirId({ recordId, documentId: deposited.documents[document]!.documentId, version: deposited.documents[document]!.version });
  const entry = provided.entries.map((role) => {
    switch (role.kind) {
      case 'List':
        return { response: { status: '201 Created', location: `List/${submissionSetFhirId(recordId, deposited.submissionSetId!)}` } };
      case 'DocumentReference': {
        const warnings = provided.documents[role.document]!.ignoredRelations.map(relationWarning);
        return {
          response: {
            status: '201 Created',
            location: `DocumentReference/${idOf(role.document)}`,
            ...(warnings.length ? { outcome: { resourceType: 'OperationOutcome', issue: warnings } } : {}),
          },
        };
      }
      case 'Binary':
        return { response: { status: '201 Created', location: `Binary/${idOf(role.document)}` } };
      case 'Supersede':
        return { response: { status: '200 OK', location: `DocumentReference/${role.target}` } };
    }
  });
  return { resourceType: 'Bundle' as const, type: 'transaction-response', entry };
}

const RELATION_WARNINGS: Record<string, string> = {
  transforms: 'PartialTransformContentNotProcessed',
  appends: 'PartialAppendContentNotProcessed',
};

function relationWarning(code: string) {
  return {
    severity: 'warning',
    code: 'not-supported',
    details: { text: RELATION_WARNINGS[code] ?? 'PartialRelatesToContentNotProcessed' },
    diagnostics: `La relation « ${code} » entre documents n’est pas prise en compte : seul le remplacement (replaces) l’est.`,
  };
}
