import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cdaView, depositedDocument, documentPage, documentSummary } from '../answers';
import { documentState, summaryState } from '../../access';
import { recordAccess } from '../../access';
import type { Action, Decision, DocumentAccessState } from '../../access';
import { accountDisplayName } from '../../accounts';
import { actorKindOf } from '../../records';
import type { RecordRole } from '../../accounts';
import { documentType } from '../../documents';
import { traceAndNotify } from '../../events';
import type { AuditAction } from '../../audit';
import { requirePatientSession } from '../sessions';
import type { AppContext } from '../../platform';
import { AppError, forbidden, invalidField } from '../../platform';
import { deleteDocument, setDocumentFlag } from '../../documents';
import type { BlobStore } from '../../documents';
import { renderCdaHtml } from '../../documents';
import { readUpload, sendDocumentBytes } from '../files';
import { depositDocument, type DescribedDeposit } from '../../documents';
import { describeDocument, findDocument, listDocuments, readDocumentContent } from '../../documents';

/**
 * The patient's «Mes documents»: list, open, add (a file or a note), mask,
 * delete what they added. A legal representative acts for the patient but
 * never sees documents hidden from representatives; a caregiver (proche aidant) neither, nor
 * masked documents, and only reads and adds (the policy says so).
 */

const recordParams = z.object({ recordId: z.uuid() });
const documentParams = recordParams.extend({ documentId: z.uuid() });
/** The types a patient may give their own documents (JDV_J07: «… déposé par le patient», volontés, directives). */
const PATIENT_TYPES = /^(DOCPAT0[1-9]|EXPPAT_[123])$/;
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Date au format AAAA-MM-JJ.');

/** What must stay unseen is answered as absent; anything else with the policy's sentence. */
function unseenOrRefused(decision: Decision): AppError {
  if (decision.rule === 'hidden-from-patient' || decision.rule === 'hidden-from-representatives' || decision.rule === 'document-deleted') {
    return new AppError(404, 'not-found', 'Introuvable', 'Ce document n’existe pas dans ce DMP.');
  }
  return new AppError(403, 'access-denied', 'Accès refusé', decision.explanation);
}

export async function registerPatientDocumentRoutes(app: FastifyInstance, ctx: AppContext, store: BlobStore): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: ctx.config.MAX_UPLOAD_BYTES, files: 1, fields: 10 } });
    const api = scope.withTypeProvider<ZodTypeProvider>();

    /** The signed-in person's access to the record (the policy decides every action), or a refusal. */
    async function patientOn(request: FastifyRequest, recordId: string) {
      await requirePatientSession(request);
      const loginId = request.session!.accountId;
      const access = await recordAccess(ctx, { loginId }, recordId);
      const role = access.role;
      if (!role) {
        // A refusal is traced too, in the history of the record someone tried to open.
        await access.trace('read-list', 'not-titulaire', { allowed: false });
        throw forbidden('Vous n’avez pas accès à ce DMP.');
      }
      /** Decides; a refusal is traced and answered with the policy's sentence (404 for what must stay unseen); the route traces a success itself. */
      const require = async (action: Action, auditAction: AuditAction, document?: DocumentAccessState) =>
        (await access.check(action, document, { action: auditAction, documentId: document && document.id !== 'new' ? document.id : null, refuse: unseenOrRefused, tracedOnSuccessBy: 'caller' })).rule;
      const trace = (action: AuditAction, documentId: string | undefined, rule: string) => access.trace(action, rule, { documentId: documentId ?? null });
      const traceWith = (action: AuditAction, rule: string) => (trx: Parameters<typeof traceAndNotify>[1], documentId: string) =>
        traceAndNotify(ctx, trx, { recordId, actorKind: actorKindOf(role), actorId: loginId, action, documentId, allowed: true, rule });
      return { loginId, role, record: access.loaded.facts, visibility: access.visibility, trace, traceWith, require, decideFor: access.preview };
    }

    async function visibleDocument(request: FastifyRequest, recordId: string, documentId: string, version?: number) {
      const who = await patientOn(request, recordId);
      const row = await findDocument(ctx, recordId, documentId, version);
      const readRule = await who.require('read', 'open-document', documentState(row));
      return { who, row, readRule };
    }

    api.get(
      '/api/records/:recordId/documents',
      {
        schema: {
          tags: ['documents'],
          params: recordParams,
          querystring: z.object({
            category: z.string().max(40).optional(),
            typeCode: z.string().max(40).optional(),
            from: date.optional(),
            to: date.optional(),
            authorId: z.string().max(64).optional(),
            words: z.string().max(200).optional(),
            limit: z.coerce.number().int().min(1).max(100).default(20),
            offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
          }),
          response: { 200: documentPage },
        },
      },
      async (request) => {
        const { visibility, trace, require, decideFor } = await patientOn(request, request.params.recordId);
        const rule = await require('list', 'read-list');
        const list = await listDocuments(ctx, request.params.recordId, visibility, request.query);
        await trace('read-list', undefined, rule);
        // The SQL filters are the policy's; each line is asked again, so nothing slips through.
        return { ...list, documents: list.documents.filter((d) => decideFor('read', summaryState(d)).allowed) };
      },
    );

    api.get('/api/records/:recordId/documents/:documentId', { schema: { tags: ['documents'], params: documentParams, response: { 200: documentSummary } } }, async (request) => {
      const { row } = await visibleDocument(request, request.params.recordId, request.params.documentId);
      return describeDocument(ctx, row);
    });

    api.get(
      '/api/records/:recordId/documents/:documentId/content',
      // The document's bytes, in its own media type: no JSON schema to declare.
      { schema: { tags: ['documents'], params: documentParams, querystring: z.object({ download: z.enum(['1']).optional() }) } },
      async (request, reply) => {
        const { who, row, readRule } = await visibleDocument(request, request.params.recordId, request.params.documentId);
        const bytes = await readDocumentContent(ctx, store, row);
        await who.trace('open-document', row.document_id, readRule);
        return sendDocumentBytes(reply, row, bytes, request.query.download ? 'attachment' : 'inline');
      },
    );

    api.get('/api/records/:recordId/documents/:documentId/view', { schema: { tags: ['documents'], params: documentParams, response: { 200: cdaView } } }, async (request) => {
      const { who, row, readRule } = await visibleDocument(request, request.params.recordId, request.params.documentId);
      if (row.format !== 'cda') throw new AppError(400, 'not-cda', 'Vue non disponible', 'Cette vue ne concerne que les documents CDA.');
      const bytes = await readDocumentContent(ctx, store, row);
      await who.trace('open-document', row.document_id, readRule);
      return { html: renderCdaHtml(bytes.toString('utf8')) };
    });

    api.post('/api/records/:recordId/documents', { schema: { tags: ['documents'], params: recordParams, response: { 201: depositedDocument } } }, async (request, reply) => {
      const { loginId, role, record, traceWith, require } = await patientOn(request, request.params.recordId);
      const { bytes, field } = await readUpload(request, 'Choisissez un fichier à ajouter.');
      const typeCode = field('typeCode');
      if (typeCode && !PATIENT_TYPES.test(typeCode)) {
        throw invalidField('typeCode', 'Choisissez un des types proposés pour les documents que vous ajoutez.');
      }
      let depositRule = '';
      // Decided on the document as its bytes describe it: a CDA's header may not give it a
      // professional's type or hide it from the patient.
      const authorize = async (described: DescribedDeposit) => {
        if (!PATIENT_TYPES.test(described.typeCode)) {
          throw invalidField('typeCode', 'Choisissez un des types proposés pour les documents que vous ajoutez.');
        }
        depositRule = await require('deposit', 'deposit', ownDocument(described, loginId, role));
      };
      const deposited = await depositDocument(
        ctx,
        store,
        { kind: actorKindOf(role), id: loginId, name: await accountDisplayName(ctx, loginId) },
        { recordId: record.recordId, insMatricule: record.insMatricule },
        { bytes, typeCode, title: field('title'), careDate: field('careDate'), authorize },
        undefined,
        (trx, documentId) => traceWith('deposit', depositRule)(trx, documentId),
      );
      return reply.code(201).send(deposited);
    });

    api.post(
      '/api/records/:recordId/notes',
      {
        schema: {
          tags: ['documents'],
          params: recordParams,
          body: z.object({
            title: z.string().trim().min(1, 'Donnez un titre à votre note.').max(200),
            text: z.string().trim().min(1, 'Écrivez votre note.').max(20_000),
            // A note is the patient's own document; advance directives (EXPPAT_3) are written the same way.
            typeCode: z.enum(['EXPPAT_1', 'EXPPAT_2', 'EXPPAT_3']).optional(),
          }),
          response: { 201: depositedDocument },
        },
      },
      async (request, reply) => {
        const { loginId, role, record, traceWith, require } = await patientOn(request, request.params.recordId);
        const noteRule = await require('deposit', 'deposit', newOwnDocument(request.body.typeCode ?? 'EXPPAT_2', loginId, role));
        const deposited = await depositDocument(
          ctx,
          store,
          { kind: actorKindOf(role), id: loginId, name: await accountDisplayName(ctx, loginId) },
          { recordId: record.recordId, insMatricule: record.insMatricule },
          { bytes: Buffer.from(request.body.text, 'utf8'), typeCode: request.body.typeCode ?? 'EXPPAT_2', title: request.body.title },
          undefined,
          traceWith('deposit', noteRule),
        );
        return reply.code(201).send(deposited);
      },
    );

    api.post(
      '/api/records/:recordId/documents/:documentId/mask',
      { schema: { tags: ['documents'], params: documentParams, body: z.object({ masked: z.boolean() }), response: { 200: z.object({ masked: z.boolean() }) } } },
      async (request) => {
        const { who, row } = await visibleDocument(request, request.params.recordId, request.params.documentId);
        const action = request.body.masked ? 'mask' : 'unmask';
        const rule = await who.require(action, action, documentState(row));
        await setDocumentFlag(ctx, request.params.recordId, request.params.documentId, { masked: request.body.masked });
        await who.trace(action, request.params.documentId, rule);
        return { masked: request.body.masked };
      },
    );

    api.delete('/api/records/:recordId/documents/:documentId', { schema: { tags: ['documents'], params: documentParams } }, async (request, reply) => {
      const { who, row } = await visibleDocument(request, request.params.recordId, request.params.documentId);
      const rule = await who.require('delete', 'delete', documentState(row));
      await deleteDocument(ctx, request.params.recordId, request.params.documentId, who.loginId);
      await who.trace('delete', request.params.documentId, rule);
      return reply.code(204).send();
    });
  });
}

/** A document the patient's side is about to add, as its bytes describe it, as the policy sees it. */
function ownDocument(described: DescribedDeposit, loginId: string, role: RecordRole): DocumentAccessState {
  return {
    id: 'new',
    category: described.category as DocumentAccessState['category'],
    authorId: loginId,
    authorKind: actorKindOf(role),
    masked: described.masked,
    hiddenFromPatient: described.hiddenFromPatient,
    hiddenFromRepresentatives: described.hiddenFromRepresentatives,
    status: 'current',
  };
}

/** A note the patient's side is about to write, as the policy sees it. */
function newOwnDocument(typeCode: string | undefined, loginId: string, role: RecordRole): DocumentAccessState {
  return {
    id: 'new',
    category: (documentType(typeCode ?? 'EXPPAT_2')?.category ?? 'espace-personnel') as DocumentAccessState['category'],
    authorId: loginId,
    authorKind: actorKindOf(role),
    masked: false,
    hiddenFromPatient: false,
    hiddenFromRepresentatives: false,
    status: 'current',
  };
}

