/**
 * Who is the professional behind a request: a browser with a professional session (signed in
 * with Pro Santé Connect, sign-in.ts), or software sending `Authorization: Bearer <access token>`
 * issued by the provider to the professional (RFC 6750; IHE IUA ITI-72 "Incorporate Access
 * Token", which MHD and PDSm rely on for the FHIR door). Every bearer is checked the same way
 * (accounts `checkAccessToken`); each route says which tokens it takes: `/fhir` those for the
 * FHIR resource issued to admitted practice software, `/api/pro` the service's own.
 * Other routes use `requireProfessional` as a preHandler and then read `request.professional`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform';
import { AppError } from '../../platform';
import { findDirectoryProfessional } from '../../directory';
import { checkAccessToken, identityFromClaims, toProfessional, type Professional } from '../../accounts';
import { SignInError, type IssuerEndpoints, type PscClient, type PscSettings, type TokenDoor, type TokenRefusal } from '../../accounts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireProfessional`; null before it runs, or on a route without it. */
    professional: Professional | null;
  }
  interface FastifyInstance {
    /** Installed by registerProfessionalAuth (sign-in.ts); used by requireProfessional. */
    authenticateProfessional: ProfessionalAuthenticator;
    /** The provider's authorization and token endpoints, for the CapabilityStatement; null when unknown. */
    oauthEndpoints: () => Promise<IssuerEndpoints | null>;
  }
  interface FastifyContextConfig {
    /** Which bearer tokens the route takes (set for a whole scope by `takeFhirTokens`); the service's own when absent. */
    tokenDoor?: TokenDoor;
  }
}

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

export function registerProfessionalAuth(app: FastifyInstance, ctx: AppContext, settings: PscSettings | null, client: PscClient | null): void {
  app.decorateRequest('professional', null);
  const authenticate: ProfessionalAuthenticator = async (request, reply) => {
    const authorization = request.headers.authorization;
    const door = request.routeOptions.config.tokenDoor ?? 'api';
    if (authorization !== undefined) return fromBearer(ctx, settings && client ? { settings, client } : null, authorization, door, reply);
    return fromSession(request);
  };
  app.decorate('authenticateProfessional', authenticate);
  app.decorate('oauthEndpoints', async () => {
    if (!client) return null;
    try {
      return await client.endpoints();
    } catch (error) {
      ctx.logger.warn({ err: error instanceof SignInError ? (error.cause ?? error) : error }, 'the provider’s endpoints could not be discovered');
      return null;
    }
  });
}

/** Every route of `scope` (the FHIR door) takes the tokens of practice software (access-token.ts). */
export function takeFhirTokens(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, tokenDoor: 'fhir' };
  });
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

/** What the professional's software reads in the OperationOutcome or problem, for each refusal. */
const REFUSED: Record<TokenRefusal, string> = {
  malformed: 'Ce jeton d’accès n’est pas lisible.',
  signature: 'La signature de ce jeton d’accès n’est pas celle de Pro Santé Connect.',
  expired: 'Ce jeton d’accès a expiré : demandez-en un nouveau avec le jeton de rafraîchissement.',
  'foreign-issuer': 'Ce jeton d’accès n’a pas été délivré par Pro Santé Connect.',
  'not-access-token': 'Ce jeton n’est pas un jeton d’accès.',
  audience: 'Ce jeton d’accès n’est pas destiné à ce service.',
  client: 'Le logiciel qui a obtenu ce jeton d’accès n’est pas autorisé à accéder au DMP.',
  inactive: 'Ce jeton d’accès n’est pas valable ou a expiré.',
};

type Checker = { settings: PscSettings; client: PscClient };

async function fromBearer(ctx: AppContext, checker: Checker | null, authorization: string, door: TokenDoor, reply?: FastifyReply): Promise<Professional> {
  // RFC 6750 §3: the challenge names the error; none when the request carried no bearer token at all (§3.1).
  const refuse = (error: 'invalid_token' | 'invalid_request' | null, detail: string) => {
    reply?.header('www-authenticate', error ? `Bearer error="${error}"` : 'Bearer');
    return new AppError(401, 'invalid-token', 'Jeton refusé', detail);
  };
  if (!/^Bearer(\s|$)/i.test(authorization)) throw refuse(null, 'Ce service attend un jeton d’accès : Authorization: Bearer <jeton>.');
  const token = /^Bearer +(\S+)$/i.exec(authorization)?.[1];
  if (!token) throw refuse('invalid_request', 'L’en-tête Authorization doit contenir « Bearer » suivi d’un jeton d’accès.');
  if (!checker) throw unavailable();
  let check: Awaited<ReturnType<typeof checkAccessToken>>;
  try {
    check = await checkAccessToken(ctx, checker.client, checker.settings, token, door);
  } catch (error) {
    if (error instanceof SignInError) {
      ctx.logger.warn({ err: error.cause ?? error }, 'professional token could not be checked');
      throw unavailable();
    }
    throw error;
  }
  if (!check.ok) {
    const detail = check.refusal === 'audience' && door === 'fhir' ? 'Ce jeton d’accès n’est pas destiné à l’API FHIR du DMP.' : REFUSED[check.refusal];
    throw refuse('invalid_token', detail);
  }
  const identity = identityFromClaims(check.claims);
  if (!identity) throw refuse('invalid_token', 'Ce jeton d’accès ne désigne pas un professionnel de santé (numéro RPPS).');
  const row = await findDirectoryProfessional(ctx.database, identity.rpps);
  if (!row) throw unknownProfessional();
  return toProfessional(row, identity);
}

export const unknownProfessional = () =>
  new AppError(403, 'unknown-professional', 'Professionnel inconnu', 'Ce numéro RPPS n’est pas dans l’annuaire des professionnels du DMP.');

export const unavailable = () =>
  new AppError(503, 'psc-unavailable', 'Service indisponible', 'La connexion des professionnels ne répond pas. Réessayez dans quelques minutes.');
