/**
 * Who is the professional behind a request: a browser with a professional session (signed in
 * with Pro Santé Connect, routes.ts), or practice software sending `Authorization: Bearer
 * <access token>` issued by the provider to the professional. Other routes use
 * `requireProfessional` as a preHandler and then read `request.professional`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform';
import { AppError } from '../../platform';
import { findDirectoryProfessional } from '../../directory';
import { identityFromClaims, toProfessional, type Professional } from '../../accounts';
import { SignInError, type PscClient } from '../../accounts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireProfessional`; null before it runs, or on a route without it. */
    professional: Professional | null;
  }
  interface FastifyInstance {
    /** Installed by registerProfessionalAuth (routes.ts); used by requireProfessional. */
    authenticateProfessional: ProfessionalAuthenticator;
  }
}

export type { Professional };
export type ProfessionalAuthenticator = (request: FastifyRequest, reply?: FastifyReply) => Promise<Professional>;

/**
 * A route preHandler: goes on only for a signed-in professional or a valid bearer token, and
 * sets `request.professional`. A request with an Authorization header is judged on that header
 * alone (a bad token is refused, never replaced by a cookie).
 */
export async function requireProfessional(request: FastifyRequest, reply?: FastifyReply): Promise<void> {
  request.professional = await request.server.authenticateProfessional(request, reply);
}

/** The professional a session holds in its data (written by the callback in routes.ts). */
const sessionProfessional = z.object({
  rpps: z.string().regex(/^\d{11}$/),
  firstName: z.string(),
  lastName: z.string(),
  name: z.string(),
  profession: z.string(),
  specialty: z.string().nullable(),
  role: z.enum(['samu_regulator']).nullable(),
  workplace: z.object({ name: z.string(), finess: z.string().nullable() }),
});

export function registerProfessionalAuth(app: FastifyInstance, ctx: AppContext, client: PscClient | null): void {
  app.decorateRequest('professional', null);
  const authenticate: ProfessionalAuthenticator = async (request, reply) => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) return fromBearer(ctx, client, authorization, reply);
    return fromSession(request);
  };
  app.decorate('authenticateProfessional', authenticate);
}

function fromSession(request: FastifyRequest): Professional {
  const session = request.session;
  if (!session) {
    throw new AppError(401, 'unauthenticated', 'Connexion nécessaire', 'Connectez-vous avec Pro Santé Connect pour accéder à cette page.');
  }
  const parsed = session.actorKind === 'professional' ? sessionProfessional.safeParse(session.data) : null;
  if (!parsed?.success) {
    throw new AppError(403, 'forbidden', 'Accès refusé', 'Cet espace est réservé aux professionnels de santé.');
  }
  return parsed.data;
}

async function fromBearer(ctx: AppContext, client: PscClient | null, authorization: string, reply?: FastifyReply): Promise<Professional> {
  const token = /^Bearer +(\S+)$/i.exec(authorization)?.[1];
  const refuse = (error: string, detail: string) => {
    reply?.header('www-authenticate', `Bearer error="${error}"`);
    return new AppError(401, 'invalid-token', 'Jeton refusé', detail);
  };
  if (!token) throw refuse('invalid_request', 'L’en-tête Authorization doit contenir « Bearer » suivi d’un jeton d’accès.');
  if (!client) throw unavailable();
  let claims: Record<string, unknown> | null;
  try {
    claims = await client.introspect(token);
  } catch (error) {
    if (error instanceof SignInError) {
      ctx.logger.warn({ err: error.cause ?? error }, 'professional token could not be checked');
      throw unavailable();
    }
    throw error;
  }
  const identity = claims ? identityFromClaims(claims) : null;
  if (!identity) throw refuse('invalid_token', 'Ce jeton d’accès n’est pas valable ou a expiré.');
  const row = await findDirectoryProfessional(ctx.database, identity.rpps);
  if (!row) throw unknownProfessional();
  return toProfessional(row, identity);
}

export const unknownProfessional = () =>
  new AppError(403, 'unknown-professional', 'Professionnel inconnu', 'Ce numéro RPPS n’est pas dans l’annuaire des professionnels du DMP.');

export const unavailable = () =>
  new AppError(503, 'psc-unavailable', 'Service indisponible', 'La connexion des professionnels ne répond pas. Réessayez dans quelques minutes.');
