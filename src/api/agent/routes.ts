/**
 * The insurance desk (DOMAIN.md §2, way 3): an agent signs in, then creates the
 * record of the insured person in front of them, with their yes.
 *
 *   POST /api/agent/login           identifier + password → a code by email
 *   POST /api/agent/login/verify    the code → an agent session
 *   POST /api/agent/login/resend
 *   POST /api/agent/logout
 *   GET  /api/agent/me
 *   POST /api/agent/password        the first sign-in replaces the initial password
 *   POST /api/agent/records         creates a record (Vitale card, consent, mobile)
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inPersonCreation, issuedChallenge } from '../answers';
import { createRecordInPerson } from '../../accounts';
import { type RateLimitRule } from '../../platform';
import { perAddress, rateLimitRules } from '../rate-limit';
import { clearSessionCookie, cookiesSecure, setSessionCookie } from '../sessions';
import { revokeSession } from '../../accounts';
import type { AppContext } from '../../platform';
import { requireAgent, requireAgentSession } from './guard';
import { completeAgentSignIn, replaceAgentPassword, resendAgentCode, sessionAgent, startAgentSignIn } from '../../accounts';

const MINUTE = 60;
const required = (what: string) => z.string().trim().min(1, `${what} est obligatoire.`).max(200);
const passwordField = z.string().min(1, 'Le mot de passe est obligatoire.').max(1024);
const challengeField = z.uuid('La demande est inconnue. Recommencez depuis le début.');

export function registerAgentRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('agent', null);
  const api = app.withTypeProvider<ZodTypeProvider>();
  const secure = cookiesSecure(ctx.config);
  const limit = (...rules: ((r: FastifyRequest) => RateLimitRule)[]) => rateLimitRules(ctx, ...rules);
  const byAddress = (prefix: string, max: number) => perAddress(prefix, max, 15 * MINUTE);

  api.post(
    '/api/agent/login',
    {
      schema: { tags: ['agent'], body: z.object({ agentId: required('L’identifiant'), password: passwordField }), response: { 200: issuedChallenge } },
      preHandler: limit(byAddress('agent-login', 30), (r) => ({
        key: `agent-login:id:${String((r.body as { agentId?: unknown })?.agentId ?? '').trim().toLowerCase()}`,
        limit: 10,
        windowSeconds: 15 * MINUTE,
      })),
    },
    async (request) => startAgentSignIn(ctx, request.body.agentId, request.body.password),
  );

  api.post(
    '/api/agent/login/verify',
    {
      schema: { tags: ['agent'], body: z.object({ challengeId: challengeField, code: z.string().trim().min(1, 'Le code est obligatoire.') }), response: { 200: z.object({ mustChangePassword: z.boolean() }) } },
      preHandler: limit(byAddress('agent-login-code', 30)),
    },
    async (request, reply) => {
      const now = ctx.clock.now();
      const done = await completeAgentSignIn(ctx, request.body.challengeId, request.body.code);
      // One person per browser session: whoever was signed in here is signed out.
      if (request.session) await revokeSession(ctx.database.db, request.session.id, now);
      setSessionCookie(reply, done.token, secure);
      return { mustChangePassword: done.agent.mustChangePassword };
    },
  );

  api.post(
    '/api/agent/login/resend',
    { schema: { tags: ['agent'], body: z.object({ challengeId: challengeField }), response: { 200: issuedChallenge.omit({ challengeId: true }) } }, preHandler: limit(byAddress('agent-login-resend', 10)) },
    async (request) => {
      const issued = await resendAgentCode(ctx, request.body.challengeId);
      return { channel: issued.channel, destination: issued.destination };
    },
  );

  api.post('/api/agent/logout', { schema: { tags: ['agent'] } }, async (request, reply) => {
    if (request.session) await revokeSession(ctx.database.db, request.session.id, ctx.clock.now());
    clearSessionCookie(reply, secure);
    return reply.code(204).send();
  });

  // The agent as their session holds them (the same schema checks the session's data).
  api.get('/api/agent/me', { schema: { tags: ['agent'], response: { 200: sessionAgent } }, preHandler: requireAgentSession }, async (request) => request.agent!);

  api.post(
    '/api/agent/password',
    {
      schema: { tags: ['agent'], body: z.object({ newPassword: passwordField, newPasswordConfirmation: passwordField }), response: { 200: sessionAgent } },
      preHandler: [requireAgentSession, limit((r) => ({ key: `agent-password:${r.agent?.agentId}`, limit: 10, windowSeconds: 15 * MINUTE }))],
    },
    async (request) => replaceAgentPassword(ctx, request.session!, request.body),
  );

  api.post(
    '/api/agent/records',
    {
      schema: {
        tags: ['agent'],
        body: z.object({
          nir: z.string().trim().min(1, 'Le numéro de sécurité sociale est obligatoire.'),
          vitaleSerial: z.string().trim().min(1, 'Le numéro de série de la carte Vitale est obligatoire.'),
          mobile: z.string().trim().max(40).default(''),
          consent: z.boolean(),
        }),
        response: { 201: inPersonCreation },
      },
      // A desk creates a few dozen records a day; more than this in an hour is not a desk.
      preHandler: [requireAgent, limit((r) => ({ key: `agent-records:${r.agent?.agentId}`, limit: 60, windowSeconds: 60 * MINUTE }))],
    },
    async (request, reply) => {
      const agent = request.agent!;
      const created = await createRecordInPerson(ctx, { kind: 'agent', id: agent.agentId, name: agent.name, workplace: agent.office }, request.body);
      return reply.code(201).send(created);
    },
  );
}
