import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { issuedChallenge } from '../answers';
import { childrenAnswer, createdRecord, firstLoginNext, profileAnswer } from './answers';
import { type RateLimitRule } from '../../platform';
import { perAddress, rateLimitRules } from '../rate-limit';
import { clearSessionCookie, cookiesSecure, requirePatientSession, setSessionCookie } from '../sessions';
import { revokeSession, updateSessionData } from '../../accounts';
import type { AppContext } from '../../platform';
import { AppError, invalidField } from '../../platform';
import { normalizeEmail, normalizeFrenchMobile } from '../../directory';
import { parseNir } from '../../identity';
import { eligibleChildren, openChildRecord } from '../../accounts';
import { confirmContactChange, startContactChange } from '../../accounts';
import { CODE_REQUEST_ANSWER, createRecordOnline, creationCodeRequestsSettled, requestCreationCode } from '../../accounts';
import { credentialsLetter } from '../../accounts';
import { chooseEmergencyAccess, replaceInitialPassword, savePersonalData } from '../../accounts';
import { completeLogin, resendLoginCode, startLogin } from '../../accounts';
import { completePasswordReset, RESET_ANSWER, startPasswordReset } from '../../accounts';
import { accountProfile, canActOnRecord, firstLoginPending } from '../../accounts';
import { accountEvents } from '../../events';
import { recordAccess } from '../../access';

/** The patient side of DOMAIN.md §2–3 over JSON: creation, login, first login, account. */

const required = (what: string) => z.string().trim().min(1, `${what} est obligatoire.`);
const nirField = z.string().trim().min(1, 'Le numéro de sécurité sociale est obligatoire.');
const codeField = z.string().trim().min(1, 'Le code est obligatoire.');
const passwordField = z.string().min(1, 'Le mot de passe est obligatoire.').max(1024);
const challengeField = z.uuid('La demande est inconnue. Recommencez depuis le début.');

const MINUTE = 60;
const ip = perAddress;

function validNir(field: string, value: string): string {
  const parsed = parseNir(value);
  if (!parsed.ok) throw invalidField(field, parsed.error.message);
  return parsed.nir.value;
}

export function registerAccountRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const limit = (...rules: ((r: FastifyRequest) => RateLimitRule)[]) => rateLimitRules(ctx, ...rules);
  const secure = cookiesSecure(ctx.config);
  const signedIn = async (request: FastifyRequest) => requirePatientSession(request);
  const afterFirstLogin = async (request: FastifyRequest) => {
    await requirePatientSession(request);
    if (await firstLoginPending(ctx, request.session!.accountId)) {
      throw new AppError(403, 'first-login-pending', 'Première connexion à terminer', 'Terminez d’abord les 3 étapes de la première connexion.');
    }
  };

  // ---- Creating a record online -------------------------------------------------------------
  // A code request is handled after its answer (creation-code-requests.ts): closing waits for those under way.
  app.addHook('onClose', async () => creationCodeRequestsSettled(ctx));
  api.post(
    '/api/creation/code-requests',
    {
      schema: { tags: ['creation'], body: z.object({ nir: nirField, nirConfirmation: nirField }), response: { 202: z.object({ message: z.string() }) } },
      preHandler: limit(ip('creation-code', 10, 60 * MINUTE), (r) => ({
        key: `creation-code:nir:${String((r.body as { nir?: unknown })?.nir ?? '').replace(/\s/g, '')}`,
        limit: 3,
        windowSeconds: 24 * 60 * MINUTE,
      })),
    },
    async (request, reply) => {
      const nir = validNir('nir', request.body.nir);
      if (validNir('nirConfirmation', request.body.nirConfirmation) !== nir) {
        throw invalidField('nirConfirmation', 'Les deux numéros sont différents. Tapez le même numéro deux fois.');
      }
      await requestCreationCode(ctx, nir);
      return reply.code(202).send({ message: CODE_REQUEST_ANSWER });
    },
  );

  api.post(
    '/api/creation/records',
    {
      schema: {
        tags: ['creation'],
        body: z.object({
          code: codeField,
          nir: nirField,
          vitaleType: z.enum(['photo', 'sans_photo'], 'Choisissez le type de votre carte Vitale.'),
          vitaleSerial: required('Le numéro de série de la carte'),
          mobile: z.string().trim().optional(),
          email: z.string().trim().optional(),
          acceptTerms: z.boolean(),
        }),
        response: { 201: createdRecord },
      },
      preHandler: limit(ip('creation', 20, 60 * MINUTE)),
    },
    async (request, reply) => {
      const body = request.body;
      const nir = validNir('nir', body.nir);
      const mobile = body.mobile ? normalizeFrenchMobile(body.mobile) : null;
      if (body.mobile && !mobile) throw invalidField('mobile', 'Ce numéro de portable n’est pas valable. Exemple : 06 12 34 56 78.');
      const email = body.email ? normalizeEmail(body.email) : null;
      if (body.email && !email) throw invalidField('email', 'Cette adresse mail n’est pas valable.');
      if (!mobile && !email) throw invalidField('mobile', 'Donnez votre numéro de portable ou votre adresse mail.');
      if (!body.acceptTerms) throw invalidField('acceptTerms', 'Vous devez accepter les conditions d’utilisation pour créer votre DMP.');
      const created = await createRecordOnline(ctx, {
        code: body.code,
        nir,
        vitaleType: body.vitaleType,
        vitaleSerial: body.vitaleSerial,
        contact: { mobile, email },
      });
      return reply.code(201).send({
        loginId: created.loginId,
        initialPassword: created.initialPassword,
        birthName: created.person.birthName,
        firstNames: created.person.firstNames,
        ins: { matricule: created.person.nir, oid: created.person.insOid },
      });
    },
  );

  api.post(
    '/api/creation/letter',
    {
      // The answer is the letter itself (PDF): no JSON schema to declare.
      schema: { tags: ['creation'], body: z.object({ loginId: required('L’identifiant'), password: passwordField }) },
      preHandler: limit(ip('letter', 20, 60 * MINUTE)),
    },
    async (request, reply) => {
      const pdf = await credentialsLetter(ctx, request.body.loginId, request.body.password);
      return reply
        .type('application/pdf')
        .header('content-disposition', 'attachment; filename="mon-dmp-identifiants.pdf"')
        .header('cache-control', 'no-store')
        .send(Buffer.from(pdf));
    },
  );

  // ---- Logging in -----------------------------------------------------------------------------
  api.post(
    '/api/auth/login',
    {
      schema: { tags: ['auth'], body: z.object({ loginId: required('L’identifiant'), password: passwordField }), response: { 200: issuedChallenge } },
      preHandler: limit(ip('login', 30, 15 * MINUTE), (r) => ({
        key: `login:id:${String((r.body as { loginId?: unknown })?.loginId ?? '').trim().toLowerCase()}`,
        limit: 10,
        windowSeconds: 15 * MINUTE,
      })),
    },
    async (request) => startLogin(ctx, request.body.loginId, request.body.password, accountEvents(ctx)),
  );

  api.post(
    '/api/auth/login/verify',
    {
      schema: { tags: ['auth'], body: z.object({ challengeId: challengeField, code: codeField }), response: { 200: z.object({ firstLoginRequired: z.boolean() }) } },
      preHandler: limit(ip('login-code', 30, 15 * MINUTE)),
    },
    async (request, reply) => {
      const done = await completeLogin(ctx, request.body.challengeId, request.body.code, accountEvents(ctx));
      setSessionCookie(reply, done.token, secure);
      return { firstLoginRequired: done.firstLoginRequired };
    },
  );

  api.post(
    '/api/auth/login/resend',
    {
      schema: { tags: ['auth'], body: z.object({ challengeId: challengeField }), response: { 200: issuedChallenge.omit({ challengeId: true }) } },
      preHandler: limit(ip('login-resend', 10, 15 * MINUTE)),
    },
    async (request) => {
      const issued = await resendLoginCode(ctx, request.body.challengeId);
      return { channel: issued.channel, destination: issued.destination };
    },
  );

  api.post('/api/auth/logout', { schema: { tags: ['auth'] } }, async (request, reply) => {
    if (request.session) await revokeSession(ctx.database.db, request.session.id, ctx.clock.now());
    clearSessionCookie(reply, secure);
    return reply.code(204).send();
  });

  api.post(
    '/api/auth/password-reset',
    {
      schema: {
        tags: ['auth'],
        // The NIR for a patient; the email given at the invitation for a caregiver's own login.
        body: z.object({ loginId: required('L’identifiant'), nir: nirField.optional(), email: z.string().trim().max(254).optional() }),
        response: { 202: z.object({ challengeId: z.string(), message: z.string() }) },
      },
      preHandler: limit(ip('reset', 10, 60 * MINUTE), (r) => ({
        key: `reset:id:${String((r.body as { loginId?: unknown })?.loginId ?? '').trim().toLowerCase()}`,
        limit: 5,
        windowSeconds: 60 * MINUTE,
      })),
    },
    async (request, reply) => {
      const { nir, email } = request.body;
      let proof: { nir: string } | { email: string };
      if (nir) proof = { nir: validNir('nir', nir) };
      else if (email && normalizeEmail(email)) proof = { email: normalizeEmail(email)! };
      else if (email) throw invalidField('email', 'Cette adresse mail n’est pas valable. Exemple : prenom.nom@exemple.fr');
      else throw invalidField('nir', 'Le numéro de sécurité sociale est obligatoire.');
      const { challengeId } = await startPasswordReset(ctx, request.body.loginId, proof);
      return reply.code(202).send({ challengeId, message: RESET_ANSWER });
    },
  );

  api.post(
    '/api/auth/password-reset/confirm',
    {
      schema: {
        tags: ['auth'],
        body: z.object({ challengeId: challengeField, code: codeField, newPassword: passwordField, newPasswordConfirmation: passwordField }),
      },
      preHandler: limit(ip('reset-confirm', 20, 60 * MINUTE)),
    },
    async (request, reply) => {
      const { challengeId, code, ...passwords } = request.body;
      await completePasswordReset(ctx, challengeId, code, passwords, accountEvents(ctx));
      return reply.code(204).send();
    },
  );

  // ---- The signed-in account ------------------------------------------------------------------
  api.get('/api/me', { schema: { tags: ['account'], response: { 200: profileAnswer } }, preHandler: signedIn }, async (request) =>
    accountProfile(ctx, request.session!.accountId, (request.session!.data.currentRecordId as string | null) ?? null),
  );

  api.put(
    '/api/me/first-login/personal',
    {
      schema: {
        tags: ['account'],
        body: z.object({
          civility: z.enum(['M', 'Mme'], 'Choisissez Madame ou Monsieur.'),
          addressLine: required('L’adresse'),
          postalCode: required('Le code postal'),
          city: required('La ville'),
          country: required('Le pays'),
          birthCountry: required('Le pays de naissance'),
          landline: z.string().trim().optional(),
          mobile: required('Le numéro de portable'),
          mobileConfirmation: required('La confirmation du portable'),
          email: required('L’adresse mail'),
          emailConfirmation: required('La confirmation du mail'),
        }),
        response: { 200: firstLoginNext },
      },
      preHandler: signedIn,
    },
    async (request) => savePersonalData(ctx, request.session!.accountId, request.body),
  );

  api.put(
    '/api/me/first-login/password',
    {
      schema: {
        tags: ['account'],
        body: z.object({
          newPassword: passwordField,
          newPasswordConfirmation: passwordField,
          codeChannel: z.enum(['sms', 'email'], 'Choisissez où recevoir vos codes.'),
        }),
        response: { 200: firstLoginNext },
      },
      preHandler: signedIn,
    },
    async (request) => replaceInitialPassword(ctx, request.session!.accountId, request.session!.id, request.body, accountEvents(ctx)),
  );

  api.put(
    '/api/me/first-login/emergency',
    { schema: { tags: ['account'], body: z.object({ breakGlass: z.boolean(), samu: z.boolean() }), response: { 200: firstLoginNext } }, preHandler: signedIn },
    async (request) => chooseEmergencyAccess(ctx, request.session!.accountId, request.body, accountEvents(ctx)),
  );

  api.post(
    '/api/me/contact-change',
    {
      schema: {
        tags: ['account'],
        body: z.object({ kind: z.enum(['mobile', 'email']), value: required('La nouvelle valeur'), valueConfirmation: required('La confirmation') }),
        response: { 200: issuedChallenge.omit({ channel: true }) },
      },
      preHandler: [afterFirstLogin, limit((r) => ({ key: `contact-change:${r.session?.accountId}`, limit: 5, windowSeconds: 60 * MINUTE }))],
    },
    async (request) => {
      const issued = await startContactChange(ctx, request.session!.accountId, request.body);
      return { challengeId: issued.challengeId, destination: issued.destination };
    },
  );

  api.post(
    '/api/me/contact-change/confirm',
    { schema: { tags: ['account'], body: z.object({ challengeId: challengeField, code: codeField }), response: { 200: z.object({ kind: z.enum(['mobile', 'email']) }) } }, preHandler: afterFirstLogin },
    async (request) => confirmContactChange(ctx, request.session!.accountId, request.body.challengeId, request.body.code, accountEvents(ctx)),
  );

  api.get('/api/me/eligible-children', { schema: { tags: ['account'], response: { 200: childrenAnswer } }, preHandler: afterFirstLogin }, async (request) => ({
    children: (await eligibleChildren(ctx, request.session!.accountId)).map((c) => ({
      nir: c.nir,
      firstNames: c.firstNames,
      birthName: c.birthName,
      birthDate: c.birthDate,
    })),
  }));

  api.post(
    '/api/me/children-records',
    {
      schema: { tags: ['account'], body: z.object({ nir: nirField, consent: z.boolean() }), response: { 201: z.object({ recordId: z.string() }) } },
      preHandler: afterFirstLogin,
    },
    async (request, reply) => {
      if (!request.body.consent) throw invalidField('consent', 'Cochez la case pour confirmer votre accord.');
      const recordId = await openChildRecord(ctx, request.session!.accountId, validNir('nir', request.body.nir));
      return reply.code(201).send({ recordId });
    },
  );

  api.put(
    '/api/me/current-record',
    { schema: { tags: ['account'], body: z.object({ recordId: z.uuid() }), response: { 200: z.object({ currentRecordId: z.string() }) } }, preHandler: afterFirstLogin },
    async (request) => {
      const session = request.session!;
      if (!(await canActOnRecord(ctx, session.accountId, request.body.recordId))) {
        const access = await recordAccess(ctx, { loginId: session.accountId }, request.body.recordId);
        throw await access.refuse('read-list', 'not-titulaire', new AppError(403, 'forbidden', 'Accès refusé', 'Vous ne gérez pas ce DMP.'), { content: 'current-record' });
      }
      await updateSessionData(ctx.database.db, ctx.masterKey, session.id, { ...session.data, currentRecordId: request.body.recordId });
      return { currentRecordId: request.body.recordId };
    },
  );
}
