/**
 * Sessions over HTTP: the `dmp_session` cookie names a server-side session
 * (sessions.ts), loaded into `request.session` before any route runs.
 *
 * The cookie is HttpOnly (no script reads it), SameSite=Strict (no other site
 * makes the browser send it), Path=/, and without Max-Age: the browser drops
 * it when closed, and the server's expiry rules decide the rest.
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../platform';
import type { AppContext } from '../platform';
import { AppError } from '../platform';
import { findSession, type Session } from '../accounts';
import fastifyPlugin from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in session, or null (none, expired, revoked). */
    session: Session | null;
  }
}

export const SESSION_COOKIE = 'dmp_session';

/**
 * Whether cookies get the Secure attribute: always, except when the service
 * is reached over plain http on a host other than localhost (a test bench).
 * Browsers (Chromium, Firefox) treat http://localhost as a secure context
 * and keep Secure cookies there, so development on a laptop needs no exception;
 * on plain http elsewhere they would drop a Secure cookie and nobody could sign in.
 */
export function cookiesSecure(config: Pick<Config, 'PUBLIC_URL'>): boolean {
  const url = new URL(config.PUBLIC_URL);
  if (url.protocol === 'https:') return true;
  const host = url.hostname;
  return host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]';
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, secure, sameSite: 'strict', path: '/' });
}

export function clearSessionCookie(reply: FastifyReply, secure = true): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, secure, sameSite: 'strict', path: '/' });
}

/** Registers @fastify/cookie once, whoever asks first (sessions, CSRF). */
export async function ensureCookies(app: FastifyInstance): Promise<void> {
  if (!app.hasRequestDecorator('cookies')) await app.register(cookie);
}

export function registerSessions(app: FastifyInstance, ctx: Pick<AppContext, 'database' | 'clock' | 'masterKey'>): void {
  app.register(
    fastifyPlugin(async (instance) => {
      if (instance.hasRequestDecorator('session')) return; // already registered
      await ensureCookies(instance);
      instance.decorateRequest('session', null);
      instance.addHook('onRequest', async (request) => {
        const token = request.cookies[SESSION_COOKIE];
        request.session = token ? await findSession(ctx.database.db, ctx.masterKey, token, ctx.clock.now()) : null;
      });
    }, { name: 'opendmp-sessions' }),
  );
}

/** A route preHandler: only a signed-in patient goes on. */
export async function requirePatientSession(request: FastifyRequest): Promise<void> {
  if (!request.session) {
    throw new AppError(401, 'unauthenticated', 'Connexion nécessaire', 'Connectez-vous pour accéder à cette page.');
  }
  if (request.session.actorKind !== 'patient') {
    throw new AppError(403, 'forbidden', 'Accès refusé', 'Cet espace est réservé aux patients.');
  }
}
