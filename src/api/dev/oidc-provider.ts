/**
 * A development OpenID provider standing in for Pro Santé Connect, mounted under /dev/oidc of
 * our own server when DEV_OIDC_PROVIDER is on (the configuration refuses it in production).
 * Its login page lists the professionals of the directory, where PSC would ask for a CPS card
 * or the e-CPS app, and it issues PSC-shaped claims (professional.ts `pscClaims`).
 *
 * Its clients: this service (a confidential web client with its callback, whose access token is
 * opaque and good at userinfo and, by introspection, at /api/pro), and every piece of practice
 * software an operator admitted (`npm run fhir:client:add`, accounts software-clients.ts): public
 * native clients (RFC 8252: no secret, PKCE required, loopback or private-scheme redirect), with
 * a refresh token, whose access tokens are JWTs (RFC 9068) for the FHIR door as a resource
 * (RFC 8707: audience `PUBLIC_URL/fhir`), signed ES256 with the provider's key, naming the
 * professional as PSC does.
 *
 * Storage: the software clients come from the database (so every node and a restart see them,
 * and disabling one takes effect at once); the rest (sessions, codes, refresh tokens) lives in
 * oidc-provider's in-memory adapter, acceptable for this development provider only: lost on
 * restart and not shared between processes. Access tokens for /fhir need no shared state: any
 * node checks them against the JWKS.
 * Keys: an ES256 key derived from the master key, so that the JWKS survives restarts.
 */
import { createECDH, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import Provider, { errors, interactionPolicy, type Account, type Adapter, type AdapterPayload, type ClientMetadata, type InteractionResults, type KoaContextWithOIDC } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { z } from 'zod';
import type { AppContext } from '../../platform';
import { deriveKey } from '../../platform';
import { parseRpps } from '../../identity';
import { chooserPage, errorPage } from './oidc-provider-pages';
import { findDirectoryProfessional, listDirectoryProfessionals } from '../../directory';
import { findSoftwareClient, pscClaims } from '../../accounts';
import { REQUIRED_ACR } from '../../accounts';
import { DEV_OIDC_PATH, type PscSettings } from '../../accounts';

const CHOOSER_SIZE = 200;
const ACCESS_TOKEN_TTL = 3600;
const NOT_CSRF_CHECKED = { csrfExempt: true } as const;

export async function registerDevOidcProvider(app: FastifyInstance, ctx: AppContext, settings: PscSettings): Promise<void> {
  const provider = createProvider(ctx, settings);
  provider.on('server_error', (_ctx: unknown, error: unknown) => ctx.logger.error({ err: error }, 'development OpenID provider failed'));

  // Its own endpoints (discovery, authorization, token, userinfo, introspection, keys): handed to
  // oidc-provider as they came, body unread, as when it is mounted in an Express application.
  const handle = provider.callback();
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.all(`${DEV_OIDC_PATH}/*`, { schema: { hide: true }, config: NOT_CSRF_CHECKED }, async (request, reply) => {
      reply.hijack();
      const raw = request.raw as IncomingMessage & { originalUrl?: string };
      raw.originalUrl = raw.url;
      raw.url = (raw.url ?? '/').slice(DEV_OIDC_PATH.length) || '/';
      await handle(raw, reply.raw);
    });
  });

  // The login page: interactions are ours (oidc-provider's development pages use inline scripts).
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    const api = scope.withTypeProvider<ZodTypeProvider>();
    const params = z.object({ uid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
    const form = z.object({ rpps: z.string().max(64).optional() }).optional();
    const html = (reply: FastifyReply, status: number, body: string) =>
      reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
    const expired = (reply: FastifyReply) => html(reply, 400, errorPage('Cette demande de connexion a expiré. Recommencez depuis le DMP.'));
    const chooser = async (reply: FastifyReply, uid: string, status = 200, error?: string) =>
      html(reply, status, chooserPage(uid, await listDirectoryProfessionals(ctx.database, CHOOSER_SIZE), error));
    /** The interaction the browser's cookie names, if it is the one in the address. */
    const pending = async (request: FastifyRequest, reply: FastifyReply, uid: string) => {
      const details = await provider.interactionDetails(request.raw, reply.raw).catch(() => null);
      return details?.uid === uid ? details : null;
    };
    const finish = async (request: FastifyRequest, reply: FastifyReply, result: InteractionResults) =>
      reply.redirect(await provider.interactionResult(request.raw, reply.raw, result), 303);

    api.get(`${DEV_OIDC_PATH}/interaction/:uid`, { schema: { hide: true, params } }, async (request, reply) => {
      if (!(await pending(request, reply, request.params.uid))) return expired(reply);
      return chooser(reply, request.params.uid);
    });

    api.post(
      `${DEV_OIDC_PATH}/interaction/:uid/login`,
      { schema: { hide: true, params, body: form }, config: NOT_CSRF_CHECKED },
      async (request, reply) => {
        if (!(await pending(request, reply, request.params.uid))) return expired(reply);
        const rpps = parseRpps(request.body?.rpps ?? '');
        if (!rpps.ok) return chooser(reply, request.params.uid, 400, rpps.error.message);
        return finish(request, reply, { login: { accountId: rpps.rpps, acr: REQUIRED_ACR, remember: false } });
      },
    );

    api.post(`${DEV_OIDC_PATH}/interaction/:uid/abort`, { schema: { hide: true, params }, config: NOT_CSRF_CHECKED }, async (request, reply) => {
      if (!(await pending(request, reply, request.params.uid))) return expired(reply);
      return finish(request, reply, { error: 'access_denied', error_description: 'Connexion annulée par le professionnel.' });
    });
  });
}

function createProvider(ctx: AppContext, settings: PscSettings): Provider {
  const policy = interactionPolicy.base();
  policy.remove('consent'); // our own service: no consent screen, as with PSC
  // Like a card reader, ask who signs in every time, even with a provider session open.
  policy.get('login')?.checks.push(
    new interactionPolicy.Check('dev_chooser', 'the development provider always asks', (providerCtx) =>
      providerCtx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT,
    ),
  );

  const own = settings.clientId;
  const isSoftware = (clientId: string | undefined) => clientId !== undefined && clientId !== own;
  return new Provider(settings.issuer, {
    clients: [
      {
        client_id: own,
        client_secret: settings.clientSecret,
        redirect_uris: [settings.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'ES256',
      },
    ],
    adapter: adapterFactory(ctx),
    jwks: { keys: [signingKey(ctx.masterKey)] },
    cookies: { keys: [deriveKey(ctx.masterKey, 'dev-oidc-cookies').toString('base64url')] },
    scopes: ['openid', 'scope_all', 'offline_access'],
    claims: {
      acr: null,
      auth_time: null,
      iss: null,
      sid: null,
      openid: ['sub'],
      scope_all: ['SubjectNameID', 'given_name', 'family_name', 'SubjectRefPro'],
    },
    acrValues: [REQUIRED_ACR],
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    findAccount: (_providerCtx, rpps) => findAccount(ctx, rpps),
    interactions: { policy, url: (_providerCtx, pending) => `${DEV_OIDC_PATH}/interaction/${pending.uid}` },
    loadExistingGrant: grantRequestedScopes,
    // PSC names the professional in the access token too (introspection answers SubjectNameID, a
    // JWT carries it): the exercise and the place of activity with it, which /fhir reads.
    extraTokenClaims: async (_providerCtx, token) => ('accountId' in token && token.accountId ? professionalClaims(ctx, token.accountId) : undefined),
    features: {
      devInteractions: { enabled: false },
      // The client itself, or this service as the FHIR resource server for tokens meant for it.
      introspection: {
        enabled: true,
        allowedPolicy: async (_c, client, token) =>
          token.clientId === client.clientId || (client.clientId === own && 'aud' in token && [token.aud].flat().includes(settings.fhirResource)),
      },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Practice software asks for no resource by name: its tokens are for the FHIR door. This
        // service's own token stays bound to no resource (opaque, good at userinfo).
        defaultResource: async (providerCtx) => (isSoftware(providerCtx.oidc.client?.clientId) ? settings.fhirResource : undefined),
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_providerCtx, resource, client) => {
          if (resource !== settings.fhirResource || !isSoftware(client.clientId)) throw new errors.InvalidTarget();
          // No scope of its own: what a professional may do is the DMP's access policy, not the token.
          return { scope: '', audience: settings.fhirResource, accessTokenFormat: 'jwt', accessTokenTTL: ACCESS_TOKEN_TTL, jwt: { sign: { alg: 'ES256' } } };
        },
      },
      rpInitiatedLogout: { enabled: false },
    },
    // Software keeps the professional signed in with a refresh token, without a consent screen
    // (PSC has none): given for the grant, not for `offline_access` (which OpenID Connect ties to
    // prompt=consent), and not ended with the provider's browser session.
    issueRefreshToken: async (_providerCtx, client) => isSoftware(client.clientId) && client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async (providerCtx) => !isSoftware(providerCtx.oidc.client?.clientId),
    pkce: { required: () => true },
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 12 * 3600,
      Grant: 12 * 3600,
      RefreshToken: 12 * 3600,
    },
    renderError: async (providerCtx, out) => {
      providerCtx.type = 'html';
      providerCtx.body = errorPage(out.error_description ?? out.error ?? 'Erreur inconnue.');
    },
  });
}

/**
 * oidc-provider's storage: the Client model from the register of practice software (read only:
 * operators admit software with the command line, never through the provider), every other
 * model in memory.
 */
function adapterFactory(ctx: AppContext): (model: string) => Adapter {
  const memory = createMemoryAdapter();
  const readOnly = () => Promise.reject(new Error('practice software is registered with npm run fhir:client:add'));
  const clients: Adapter = {
    async find(clientId) {
      const software = await findSoftwareClient(ctx, clientId);
      return software && !software.disabledAt ? softwareClientMetadata(software.clientId, software.name, software.redirectUris) : undefined;
    },
    upsert: readOnly,
    destroy: readOnly,
    consume: readOnly,
    revokeByGrantId: readOnly,
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
  };
  return (model) => (model === 'Client' ? clients : memory(model));
}

/** A native public client (RFC 8252; OAuth 2.0 Security BCP: PKCE, no implicit flow). */
function softwareClientMetadata(clientId: string, name: string, redirectUris: string[]): AdapterPayload & ClientMetadata {
  return {
    client_id: clientId,
    client_name: name,
    application_type: 'native',
    redirect_uris: redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    id_token_signed_response_alg: 'ES256',
  };
}

async function professionalClaims(ctx: AppContext, rpps: string): Promise<Record<string, unknown>> {
  const row = await findDirectoryProfessional(ctx.database, rpps);
  return row ? pscClaims(row) : { SubjectNameID: `8${rpps}` };
}

/**
 * A professional of the directory, or any well-formed RPPS typed on the page (a professional
 * PSC knows but our directory does not: how a developer sees the DMP's refusal).
 */
async function findAccount(ctx: AppContext, rpps: string): Promise<Account | undefined> {
  if (!parseRpps(rpps).ok) return undefined;
  const row = await findDirectoryProfessional(ctx.database, rpps);
  const claims = row ? pscClaims(row) : { SubjectNameID: `8${rpps}` };
  return { accountId: rpps, claims: () => ({ sub: rpps, ...claims }) };
}

/**
 * No consent screen, as with PSC: the client gets the scopes it asks for (openid ones), and the
 * resources it was given (the FHIR door for practice software) with their scopes.
 */
async function grantRequestedScopes(providerCtx: KoaContextWithOIDC) {
  const { oidc } = providerCtx;
  if (!oidc.client || !oidc.session?.accountId) return undefined;
  const grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
  grant.addOIDCScope([...oidc.requestParamScopes].join(' '));
  for (const [resource, server] of Object.entries(oidc.resourceServers ?? {})) grant.addResourceScope(resource, server.scope);
  await grant.save();
  return grant;
}

/** A P-256 key from the master key: the same JWKS after a restart, without a file to keep. */
function signingKey(masterKey: Buffer) {
  const d = deriveKey(masterKey, 'dev-oidc-signing');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey(); // 0x04 | x (32 bytes) | y (32 bytes)
  return {
    kty: 'EC',
    crv: 'P-256',
    alg: 'ES256',
    use: 'sig',
    kid: createHash('sha256').update(point).digest('base64url').slice(0, 16),
    d: d.toString('base64url'),
    x: point.subarray(1, 33).toString('base64url'),
    y: point.subarray(33).toString('base64url'),
  };
}
