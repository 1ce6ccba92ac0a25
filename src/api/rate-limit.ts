import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AppContext } from '../platform';
import { AppError } from '../platform';
import { hitRateLimit, rateLimitSecret, tooManyAttemptsMessage, type RateLimitRule } from '../platform';

/**
 * A route preHandler counting one hit on each rule the request gives (per
 * address, per identifier…); refuses with 429 and `retry-after` when any is over.
 */
export function rateLimitGuard(
  ctx: Pick<AppContext, 'database' | 'clock' | 'masterKey'>,
  rules: (request: FastifyRequest) => RateLimitRule[],
): preHandlerAsyncHookHandler {
  let secret: Buffer | null = null;
  return async function rateLimited(request: FastifyRequest, reply: FastifyReply) {
    secret ??= rateLimitSecret(ctx.masterKey);
    const now = ctx.clock.now();
    let retryAfter = 0;
    for (const rule of rules(request)) {
      const result = await hitRateLimit(ctx.database.db, rule, now, secret);
      retryAfter = Math.max(retryAfter, result.retryAfterSeconds);
    }
    if (retryAfter > 0) {
      reply.header('retry-after', String(retryAfter));
      throw new AppError(429, 'too-many-requests', 'Trop de tentatives', tooManyAttemptsMessage(retryAfter));
    }
  };
}

/** A rule counting the requests of one client address under `prefix`. */
export const perAddress =
  (prefix: string, limit: number, windowSeconds: number) =>
  (request: FastifyRequest): RateLimitRule => ({ key: `${prefix}:ip:${request.ip}`, limit, windowSeconds });

/** A guard counting one hit on each of the given rules (per address, per identifier…). */
export function rateLimitRules(
  ctx: Pick<AppContext, 'database' | 'clock' | 'masterKey'>,
  ...rules: ((request: FastifyRequest) => RateLimitRule)[]
): preHandlerAsyncHookHandler {
  return rateLimitGuard(ctx, (request) => rules.map((rule) => rule(request)));
}

/**
 * A professional's patient lookups by INS, whichever door they come through: the JSON lookup
 * (GET /api/pro/patients) and PDQm ITI-78 (/fhir/Patient) count against one ceiling, so that
 * software cannot sweep INS numbers faster through one door than through the other.
 */
export const patientLookupsOfProfessional = (request: FastifyRequest): RateLimitRule => ({
  key: `pro-patient-lookup:${request.professional?.rpps}`,
  limit: 30,
  windowSeconds: 10 * 60,
});
