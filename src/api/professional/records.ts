import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cdaView, depositedDocument, documentSummary, inPersonCreation } from '../answers';
import { proDocumentPage, proHistory, recordStanding } from './answers';
import { createRecordInPerson } from '../../accounts';
import { auditCipher, traceEvent } from '../../audit';
import { readHistory } from '../../audit';
import { traceAndNotify } from '../../events';
import type { AppContext } from '../../platform';
import { AppError, invalidField } from '../../platform';
import type { BlobStore } from '../../documents';
import { readCdaHeader, renderCdaHtml } from '../../documents';
import { depositDocument } from '../../documents';
import { readUpload, sendDocumentBytes } from '../files';
import { deleteDocument, setDocumentFlag } from '../../documents';
import { documentVersions, findDocument, readDocumentContent } from '../../documents';
import { isOccupationalDoctor } from '../../directory';
import { requireProfessional } from './guard';
import { authorizeAfterInPersonCreation, authorizeOnDeclaredConsent, openEmergencyAccess, professionalAccess, recordOccupationalConsent } from '../../access';
import { depositAsProfessional, listDocumentsForProfessional, readableDocument } from '../../documents';
import { documentState } from '../../access';
import type { DocumentAccessState } from '../../access';

/**
 * The professional's side of a record (DOMAIN.md §4), for the professional
 * space and for practice software (bearer tokens): every request is decided
 * by the access policy and traced, allowed or denied, with its rule.
 */

const recordParams = z.object({ recordId: z.uuid() });
const documentParams = recordParams.extend({ documentId: z.uuid() });


export async function registerProfessionalRecordRoutes(app: FastifyInstance, ctx: AppContext, store: BlobStore): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: ctx.config.MAX_UPLOAD_BYTES, files: 1, fields: 10 } });
    scope.addHook('preHandler', requireProfessional);
    const api = scope.withTypeProvider<ZodTypeProvider>();
    const pro = (request: FastifyRequest) => request.professional!;

    // ---- Creating a record with the patient present (Vitale card in the reader) ----
    api.post(
      '/api/pro/records',
      {
        schema: {
          tags: ['professional'],
          body: z.object({ nir: z.string().trim().min(1), vitaleSerial: z.string().trim().min(1), mobile: z.string().trim().default(''), consent: z.boolean() }),
          response: { 201: inPersonCreation },
        },
      },
      async (request, reply) => {
        const me = pro(request);
        const creator = { kind: 'professional' as const, id: me.rpps, name: me.name, profession: me.profession, workplace: me.workplace.name };
        const created = await createRecordInPerson(ctx, creator, request.body);
        await authorizeAfterInPersonCreation(ctx, created.recordId, me.rpps);
        return reply.code(201).send(created);
      },
    );

    // ---- The patient's record ----
    api.get('/api/pro/records/:recordId', { schema: { tags: ['professional'], params: recordParams, response: { 200: recordStanding } } }, async (request) => {
      const access = await professionalAccess(ctx, pro(request), request.params.recordId);
      const person = access.loaded.person;
      const decision = access.preview('list');
      const canRead = decision.allowed;
      // The identity is the record's first content: shown only to whom the policy lets read the
      // record, and a refusal is traced (#11 finding 3). Refused, the professional sees only what
      // the INS lookup proved (the web app keeps it from the lookup); the answer names nobody.
      if (!canRead) await access.trace('read-list', decision.rule, { allowed: false, details: { asked: 'record' } });
      return {
        recordId: request.params.recordId,
        status: access.loaded.facts.status,
        patient: person && canRead ? { birthName: person.birthName, firstNames: person.firstNames, birthDate: person.birthDate, sex: person.sex } : null,
        treatingDoctor: access.loaded.state.treatingDoctorId === pro(request).rpps,
        authorized: access.loaded.state.authorizedProfessionals.some((a) => a.professionalId === pro(request).rpps),
        blocked: access.loaded.state.blockedProfessionalIds.includes(pro(request).rpps),
        mode: access.context.mode,
        canRead,
        rule: decision.rule,
        explanation: decision.explanation,
      };
    });

    api.post('/api/pro/records/:recordId/consent', { schema: { tags: ['professional'], params: recordParams, body: z.object({ consent: z.boolean() }), response: { 200: z.object({ authorized: z.boolean() }) } } }, async (request) => {
      if (!request.body.consent) throw invalidField('consent', 'Cochez la case quand le patient a donné son accord.');
      const me = pro(request);
      const access = await professionalAccess(ctx, me, request.params.recordId);
      const closed = access.loaded.state.status === 'closed';
      const blocked = access.loaded.state.blockedProfessionalIds.includes(me.rpps) && access.loaded.state.treatingDoctorId !== me.rpps;
      await traceEvent(ctx, {
        recordId: request.params.recordId,
        actorKind: 'professional',
        actorId: me.rpps,
        action: 'authorization-given',
        rule: closed ? 'record-closed' : blocked ? 'blocked-professional' : 'consent-declared',
        allowed: !closed && !blocked,
        personal: { actorName: me.name, profession: me.profession, workplace: me.workplace.name },
      });
      if (closed) throw recordClosed();
      if (blocked) throw new AppError(403, 'access-denied', 'Accès refusé', 'Ce patient a bloqué votre accès à son DMP : vous ne pouvez pas déclarer son accord.');
      await authorizeOnDeclaredConsent(ctx, request.params.recordId, me.rpps);
      return { authorized: true };
    });

    // The access history, for the médecin traitant (DOMAIN.md §4): who did what, when, under which rule.
    api.get(
      '/api/pro/records/:recordId/history',
      {
        schema: {
          tags: ['professional'],
          params: recordParams,
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0) }),
          response: { 200: proHistory },
        },
      },
      async (request) => {
        const access = await professionalAccess(ctx, pro(request), request.params.recordId);
        await access.check('read-history', undefined, { action: 'read-list' });
        const events = await readHistory(ctx.database.db, request.params.recordId, auditCipher(ctx.database.db, ctx.masterKey, ctx.clock.now()), {
          limit: request.query.limit,
          offset: request.query.offset,
        });
        return {
          events: events.map((e) => ({
            seq: e.seq,
            occurredAt: e.occurredAt.toISOString(),
            actorKind: e.actorKind,
            actorName: e.personal?.actorName ?? null,
            profession: e.personal?.profession ?? null,
            action: e.action,
            documentId: e.documentId,
            allowed: e.allowed,
            rule: e.rule,
          })),
        };
      },
    );

    // The worker's express consent, given to the occupational doctor for this consultation only.
    api.post(
      '/api/pro/records/:recordId/occupational-consent',
      {
        schema: {
          tags: ['professional'],
          params: recordParams,
          body: z.object({ consent: z.boolean(), consultationId: z.string().trim().min(1, 'Indiquez la consultation.').max(64) }),
          response: { 200: z.object({ until: z.string() }) },
        },
      },
      async (request) => {
        const me = pro(request);
        if (!isOccupationalDoctor(me.profession, me.specialty)) {
          throw new AppError(403, 'access-denied', 'Accès refusé', 'Ce consentement ne concerne que le médecin du travail.');
        }
        if (!request.body.consent) throw invalidField('consent', 'Cochez la case quand le salarié a donné son accord exprès pour cette consultation.');
        const access = await professionalAccess(ctx, me, request.params.recordId);
        const closed = access.loaded.state.status === 'closed';
        const blocked = access.loaded.state.blockedProfessionalIds.includes(me.rpps);
        await traceEvent(ctx, {
          recordId: request.params.recordId,
          actorKind: 'professional',
          actorId: me.rpps,
          action: 'authorization-given',
          rule: closed ? 'record-closed' : blocked ? 'blocked-professional' : 'occupational-consent',
          allowed: !closed && !blocked,
          personal: { actorName: me.name, profession: me.profession, workplace: me.workplace.name, details: { consultationId: request.body.consultationId } },
        });
        if (closed) throw recordClosed();
        if (blocked) throw new AppError(403, 'access-denied', 'Accès refusé', 'Ce patient a bloqué votre accès à son DMP.');
        const until = await recordOccupationalConsent(ctx, request.params.recordId, me.rpps, request.body.consultationId);
        return { until: until.toISOString() };
      },
    );

    api.post(
      '/api/pro/records/:recordId/emergency',
      {
        schema: {
          tags: ['professional'],
          params: recordParams,
          body: z.object({ mode: z.enum(['break-glass', 'samu']), reason: z.string().trim().min(5, 'Dites en quelques mots pourquoi c’est urgent.').max(500) }),
          response: { 200: z.object({ explanation: z.string() }) },
        },
      },
      async (request) => ({ explanation: await openEmergencyAccess(ctx, pro(request), request.params.recordId, request.body.mode, request.body.reason) }),
    );

    api.get(
      '/api/pro/records/:recordId/documents',
      {
        schema: {
          tags: ['professional'],
          params: recordParams,
          querystring: z.object({
            category: z.string().max(40).optional(),
            words: z.string().max(200).optional(),
            from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
            to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
            limit: z.coerce.number().int().min(1).max(100).default(20),
            offset: z.coerce.number().int().min(0).default(0),
          }),
          response: { 200: proDocumentPage },
        },
      },
      async (request) => {
        const access = await professionalAccess(ctx, pro(request), request.params.recordId);
        return listDocumentsForProfessional(ctx, access, request.params.recordId, request.query);
      },
    );

    const readable = (request: FastifyRequest, params: { recordId: string; documentId: string }) =>
      readableDocument(ctx, pro(request), params.recordId, params.documentId);

    // The document's bytes, in its own media type: no JSON schema to declare.
    api.get('/api/pro/records/:recordId/documents/:documentId/content', { schema: { tags: ['professional'], params: documentParams } }, async (request, reply) => {
      const row = await readable(request, request.params);
      return sendDocumentBytes(reply, row, await readDocumentContent(ctx, store, row));
    });

    api.get('/api/pro/records/:recordId/documents/:documentId/view', { schema: { tags: ['professional'], params: documentParams, response: { 200: cdaView } } }, async (request) => {
      const row = await readable(request, request.params);
      if (row.format !== 'cda') throw new AppError(400, 'not-cda', 'Vue non disponible', 'Cette vue ne concerne que les documents CDA.');
      return { html: renderCdaHtml((await readDocumentContent(ctx, store, row)).toString('utf8')) };
    });

    // ---- The author's own documents: replace by a new version, delete (logically), show to the patient ----
    api.post(
      '/api/pro/records/:recordId/documents/:documentId/visible-to-patient',
      { schema: { tags: ['professional'], params: documentParams, response: { 200: z.object({ hiddenFromPatient: z.boolean() }) } } },
      async (request) => {
        const access = await professionalAccess(ctx, pro(request), request.params.recordId);
        const row = await findDocument(ctx, request.params.recordId, request.params.documentId);
        await access.check('make-visible-to-patient', documentState(row));
        await setDocumentFlag(ctx, request.params.recordId, request.params.documentId, { hidden_from_patient: false });
        return { hiddenFromPatient: false };
      },
    );

    api.delete('/api/pro/records/:recordId/documents/:documentId', { schema: { tags: ['professional'], params: documentParams } }, async (request, reply) => {
      const access = await professionalAccess(ctx, pro(request), request.params.recordId);
      const row = await findDocument(ctx, request.params.recordId, request.params.documentId);
      await access.check('delete', documentState(row));
      await deleteDocument(ctx, request.params.recordId, request.params.documentId, pro(request).rpps);
      return reply.code(204).send();
    });

    api.post('/api/pro/records/:recordId/documents/:documentId/versions', { schema: { tags: ['professional'], params: documentParams, response: { 201: depositedDocument } } }, async (request, reply) => {
      const me = pro(request);
      const access = await professionalAccess(ctx, me, request.params.recordId);
      const row = await findDocument(ctx, request.params.recordId, request.params.documentId);
      const decision = await access.check('replace', documentState(row), { action: 'replace', documentId: row.document_id, tracedOnSuccessBy: 'caller' });
      const { bytes, field } = await readUpload(request, 'Joignez le fichier de la nouvelle version.');
      const replaced = await depositDocument(
        ctx,
        store,
        { kind: 'professional', id: me.rpps, name: me.name },
        { recordId: request.params.recordId, insMatricule: access.loaded.facts.insMatricule },
        {
          bytes,
          typeCode: field('typeCode') ?? row.type_code,
          title: field('title'),
          careDate: field('careDate'),
          masked: row.masked,
          hiddenFromPatient: row.hidden_from_patient,
          hiddenFromRepresentatives: row.hidden_from_representatives,
        },
        { documentId: row.document_id, version: row.version },
        (trx, documentId) =>
          traceAndNotify(ctx, trx, {
            recordId: request.params.recordId,
            actorKind: 'professional',
            actorId: me.rpps,
            action: 'replace',
            documentId,
            rule: decision.rule,
            allowed: true,
            personal: { actorName: me.name, profession: me.profession, workplace: me.workplace.name },
          }),
      );
      return reply.code(201).send(replaced);
    });

    api.get('/api/pro/records/:recordId/documents/:documentId/versions', { schema: { tags: ['professional'], params: documentParams, response: { 200: z.object({ versions: z.array(documentSummary) }) } } }, async (request) => {
      const row = await readable(request, request.params);
      return { versions: await documentVersions(ctx, request.params.recordId, row.document_id) };
    });

    api.post('/api/pro/records/:recordId/documents', { schema: { tags: ['professional'], params: recordParams, response: { 201: depositedDocument } } }, async (request, reply) => {
      const me = pro(request);
      const access = await professionalAccess(ctx, me, request.params.recordId);
      const { bytes, field } = await readUpload(request, 'Joignez le fichier du document.');
      const typeCode = field('typeCode') ?? cdaTypeCode(bytes);
      // A flag the form does not send is left to the document itself (a CDA's confidentiality code).
      const flag = (name: string) => (field(name) === undefined ? undefined : field(name) === 'true');
      const deposited = await depositAsProfessional(ctx, store, access, me, request.params.recordId, {
        bytes,
        typeCode,
        title: field('title'),
        careDate: field('careDate'),
        masked: flag('masked'),
        hiddenFromPatient: flag('hiddenFromPatient'),
        hiddenFromRepresentatives: flag('hiddenFromRepresentatives'),
      });
      return reply.code(201).send(deposited);
    });
  });
}


/** A consent declared on a closed record would open nothing: said plainly, and traced as refused. */
function recordClosed(): AppError {
  return new AppError(403, 'access-denied', 'Accès refusé', 'Le DMP de ce patient est fermé : personne ne peut le consulter ni l’alimenter. Seul le patient peut le réactiver.');
}

/** A CDA names its own type in its header; anything else must be told. */
function cdaTypeCode(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 200).toString('utf8').trimStart().startsWith('<')) {
    try {
      return readCdaHeader(bytes.toString('utf8')).typeCode.code;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
