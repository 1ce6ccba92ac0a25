/**
 * Protection against cross-site request forgery, for every state-changing
 * request (POST, PUT, PATCH, DELETE) a browser could make with our cookies.
 *
 * Double submit: any response to a request without the `dmp_csrf` cookie sets
 * one, holding a random token. The page's script reads it (the cookie is not
 * HttpOnly) and repeats it in the `x-csrf-token` header; another site can
 * neither read our cookie nor set that header on a cross-site request without
 * a CORS preflight, which we never grant. When the browser sends `Origin`, it
 * must also be ours.
 *
 * Requests carrying `Authorization: Bearer` (practice software) and no session
 * cookie are exempt: a browser never adds that header by itself, so they carry
 * no ambient credential to abuse. With a session cookie the header proves
 * nothing (anyone can add a bogus one) and the check applies as to any page,
 * except on the FHIR door (routes that take FHIR tokens, guard.ts): there a
 * request with a bearer token is judged on the token alone, never on the
 * cookie, so a forged request cannot ride the cookie.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { cookiesSecure, ensureCookies, SESSION_COOKIE } from '../sessions';
import type { AppContext } from '../../platform';
import { AppError } from '../../platform';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Only for the development OpenID provider (src/api/dev/oidc-provider.ts): its forms and its
     * back-channel endpoints are posted by pages and software that cannot send our token.
     * Honoured under /dev/oidc/ only.
     */
    csrfExempt?: boolean;
  }
}

export const CSRF_COOKIE = 'dmp_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/; // 32 random bytes in base64url

export const csrfRefusal = () =>
  new AppError(
    403,
    'csrf',
    'Demande non vérifiée',
    'La demande n’a pas pu être vérifiée. Rechargez la page et réessayez.',
  );

export function registerCsrf(app: FastifyInstance, ctx: Pick<AppContext, 'config'>): void {
  const serviceOrigin = new URL(ctx.config.PUBLIC_URL).origin;
  const secure = cookiesSecure(ctx.config);
  app.register(
    fastifyPlugin(async (instance) => {
      if (instance.hasDecorator('csrfProtected')) return; // already registered
      instance.decorate('csrfProtected', true);
      await ensureCookies(instance);
      instance.addHook('onRequest', async (request, reply) => {
        if (bearerOnly(request) || devProviderExempt(request)) return;
        const cookieToken = request.cookies[CSRF_COOKIE];
        const known = cookieToken !== undefined && TOKEN_FORMAT.test(cookieToken);
        if (!known) {
          // Also on a refused request, so that the page, once reloaded, has a token.
          reply.setCookie(CSRF_COOKIE, randomBytes(32).toString('base64url'), {
            httpOnly: false,
            secure,
            sameSite: 'strict',
            path: '/',
          });
        }
        if (!STATE_CHANGING.has(request.method)) return;
        if (!originAllowed(request, serviceOrigin)) throw csrfRefusal();
        const sent = request.headers[CSRF_HEADER];
        if (!known || typeof sent !== 'string' || !sameToken(sent, cookieToken)) throw csrfRefusal();
      });
    }, { name: 'opendmp-csrf' }),
  );
}

function devProviderExempt(request: FastifyRequest): boolean {
  return request.routeOptions.config.csrfExempt === true && request.url.startsWith('/dev/oidc/');
}

/** Authenticated by a bearer token alone: no session cookie a forged request could ride on. */
function bearerOnly(request: FastifyRequest): boolean {
  if (!/^bearer\s+\S/i.test(request.headers.authorization ?? '')) return false;
  return request.cookies[SESSION_COOKIE] === undefined || request.routeOptions.config.tokenDoor === 'fhir';
}

/** No Origin (older browsers, same-origin GET-like forms): the token alone decides. */
function originAllowed(request: FastifyRequest, serviceOrigin: string): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    const sent = new URL(origin).origin;
    return sent === serviceOrigin || sent === new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    return false; // "null" (sandboxed frames, some redirects) or garbage
  }
}

function sameToken(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
