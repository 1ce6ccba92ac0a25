/**
 * Professional sign-in with Pro Santé Connect (OpenID Connect, authorization code with PKCE),
 * the signed-in professional, and finding a patient's DMP by INS.
 *
 *   GET  /api/pro/login     → the provider
 *   GET  /api/pro/callback  ← the provider; opens a professional session, then /pro/espace
 *   POST /api/pro/logout
 *   GET  /api/pro/me
 *   GET  /api/pro/patients?ins=&birthName=&firstName=&birthDate=
 *
 * A failed sign-in goes back to /pro?erreur=<reason>, where the page says what happened in French.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { foundPatient, professionalMe } from './answers';
import { patientLookupsOfProfessional, perAddress, rateLimitRules } from '../rate-limit';
import { clearSessionCookie, cookiesSecure, setSessionCookie } from '../sessions';
import { createSession, revokeSession } from '../../accounts';
import type { AppContext } from '../../platform';
import { deriveKey } from '../../platform';
import { invalidField, notFound } from '../../platform';
import { findSpecialty, professionLabel } from '../../directory';
import { parseNir } from '../../identity';
import { registerProfessionalAuth, requireProfessional } from './guard';
import { findDirectoryProfessional } from '../../directory';
import { findPatientByIns, NO_MATCH } from '../../records';
import { identityFromClaims, toProfessional } from '../../accounts';
import { createPscClient, SignInError, type PscClient } from '../../accounts';
import { CALLBACK_PATH, devProviderEnabled, pscSettings } from '../../accounts';
import { FLOW_COOKIE, FLOW_TTL_MS, openFlow, sealFlow } from '../../accounts';

/** Why a sign-in went back to /pro (the page words each one). */
export type SignInRefusal = 'inconnu' | 'annule' | 'expire' | 'echec' | 'indisponible';
const SPACE = '/pro/espace';
const refusedTo = (reason: SignInRefusal) => `/pro?erreur=${reason}`;
const MINUTE = 60;

export async function registerProfessionalSignIn(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const settings = pscSettings(ctx.config);
  const client = settings ? createPscClient(settings) : null;
  registerProfessionalAuth(app, ctx, settings, client);
  if (settings && devProviderEnabled(ctx.config)) {
    // Loaded only when on: oidc-provider never enters a production process.
    const { registerDevOidcProvider } = await import('../dev/oidc-provider');
    await registerDevOidcProvider(app, ctx, settings);
  }
  registerSignInRoutes(app, ctx, client);
  registerProfessionalRoutes(app, ctx);
}

function registerSignInRoutes(app: FastifyInstance, ctx: AppContext, client: PscClient | null): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const secure = cookiesSecure(ctx.config);
  const flowKey = deriveKey(ctx.masterKey, 'pro-signin-flow');
  const byAddress = (prefix: string, limit: number) => rateLimitRules(ctx, perAddress(prefix, limit, 15 * MINUTE));
  // Lax, not Strict: the provider sends the browser back to us from its own site.
  const flowCookie = { httpOnly: true, secure, sameSite: 'lax', path: CALLBACK_PATH } as const;

  api.get('/api/pro/login', { schema: { tags: ['pro'] }, preHandler: byAddress('pro-login', 60) }, async (_request, reply) => {
    if (!client) return reply.redirect(refusedTo('indisponible'), 303);
    const flow = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      expiresAt: ctx.clock.now().getTime() + FLOW_TTL_MS,
    };
    let target: URL;
    try {
      target = await client.authorizationUrl(flow);
    } catch (error) {
      ctx.logger.warn({ err: error instanceof SignInError ? (error.cause ?? error) : error }, 'professional sign-in could not start');
      return reply.redirect(refusedTo('indisponible'), 303);
    }
    reply.setCookie(FLOW_COOKIE, sealFlow(flowKey, flow), { ...flowCookie, maxAge: FLOW_TTL_MS / 1000 });
    return reply.header('cache-control', 'no-store').redirect(target.href, 303);
  });

  // The provider's answer: code and state, or an error. openid-client checks them all.
  const answer = z.looseObject({
    code: z.string().max(4096).optional(),
    state: z.string().max(1024).optional(),
    error: z.string().max(256).optional(),
  });
  api.get(
    CALLBACK_PATH,
    { schema: { tags: ['pro'], querystring: answer }, preHandler: byAddress('pro-callback', 60) },
    async (request, reply) => {
      reply.clearCookie(FLOW_COOKIE, flowCookie).header('cache-control', 'no-store');
      const flow = openFlow(flowKey, request.cookies[FLOW_COOKIE], ctx.clock.now());
      if (!client) return reply.redirect(refusedTo('indisponible'), 303);
      if (!flow) return reply.redirect(refusedTo('expire'), 303);
      const queryStart = request.url.indexOf('?');
      const query = queryStart >= 0 ? request.url.slice(queryStart) : '';
      let claims: Record<string, unknown>;
      try {
        claims = await client.completeSignIn(new URL(CALLBACK_PATH + query, ctx.config.PUBLIC_URL), flow);
      } catch (error) {
        if (!(error instanceof SignInError)) throw error;
        if (error.reason !== 'cancelled') ctx.logger.warn({ err: error.cause ?? error, reason: error.message }, 'professional sign-in failed');
        return reply.redirect(refusedTo(error.reason === 'cancelled' ? 'annule' : error.reason === 'unavailable' ? 'indisponible' : 'echec'), 303);
      }
      const identity = identityFromClaims(claims);
      if (!identity) {
        ctx.logger.warn({ claims: Object.keys(claims) }, 'professional sign-in: no RPPS in the claims');
        return reply.redirect(refusedTo('echec'), 303);
      }
      const row = await findDirectoryProfessional(ctx.database, identity.rpps);
      if (!row) {
        ctx.logger.info({ rpps: identity.rpps }, 'professional sign-in refused: not in the directory');
        return reply.redirect(refusedTo('inconnu'), 303);
      }
      const professional = toProfessional(row, identity);
      const now = ctx.clock.now();
      // Whoever was signed in in this browser is signed out: one person per browser session.
      if (request.session) await revokeSession(ctx.database.db, request.session.id, now);
      const { token } = await createSession(
        ctx.database.db, ctx.masterKey,
        { accountId: professional.rpps, actorKind: 'professional', data: { ...professional } },
        now,
      );
      setSessionCookie(reply, token, secure);
      return reply.redirect(SPACE, 303);
    },
  );

  api.post('/api/pro/logout', { schema: { tags: ['pro'] } }, async (request, reply: FastifyReply) => {
    if (request.session) await revokeSession(ctx.database.db, request.session.id, ctx.clock.now());
    clearSessionCookie(reply, secure);
    return reply.code(204).send();
  });
}

function registerProfessionalRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/pro/me', { schema: { tags: ['pro'], response: { 200: professionalMe } }, preHandler: requireProfessional }, async (request) => {
    const professional = request.professional!;
    return {
      ...professional,
      professionLabel: professionLabel(professional.profession) ?? null,
      specialtyLabel: professional.specialty ? (findSpecialty(professional.profession, professional.specialty)?.label ?? null) : null,
    };
  });

  const required = (what: string) => z.string().trim().min(1, `${what} est obligatoire.`).max(200);
  const perProfessional = rateLimitRules(ctx, patientLookupsOfProfessional);
  api.get(
    '/api/pro/patients',
    {
      schema: {
        tags: ['pro'],
        querystring: z.object({
          ins: required('Le matricule INS'),
          birthName: required('Le nom de naissance'),
          firstName: required('Le prénom'),
          birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'La date de naissance doit être au format AAAA-MM-JJ.'),
        }),
        response: { 200: foundPatient },
      },
      preHandler: [requireProfessional, perProfessional],
    },
    async (request) => {
      const ins = parseNir(request.query.ins);
      if (!ins.ok) throw invalidField('ins', ins.error.message);
      const found = await findPatientByIns(ctx, { ...request.query, ins: ins.nir.value });
      if (!found) throw notFound(NO_MATCH);
      return found;
    },
  );
}
