/**
 * The service as an OpenID Connect client of Pro Santé Connect (or of the development provider):
 * authorization code flow with PKCE, state and nonce; and, for practice software calling the API
 * with a bearer token, token introspection, the method PSC documents for a service to check a
 * token it receives. Nothing is kept in memory but the discovered metadata and keys, which any
 * node fetches again for itself.
 */
import * as oidc from 'openid-client';
import type { SignInFlow } from './psc-signin-flow';
import type { PscSettings } from './psc-settings';

/** PSC scope for the professional's identity and exercise (SubjectRefPro…). */
const SCOPE = 'openid scope_all';
/** eIDAS « substantiel »: CPS card or e-CPS, which PSC requires and names so. */
export const REQUIRED_ACR = 'eidas1';
const TIMEOUT_SECONDS = 10;
/** RFC 6750 b64token, of a sane length: anything else is refused without asking the provider. */
const TOKEN_FORMAT = /^[A-Za-z0-9\-._~+/]{16,4096}=*$/;

export type SignInFailure = 'cancelled' | 'failed' | 'unavailable';

export class SignInError extends Error {
  constructor(readonly reason: SignInFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SignInError';
  }
}

export interface PscClient {
  authorizationUrl(flow: SignInFlow): Promise<URL>;
  /** Checks the provider's answer and exchanges the code; returns the ID token and userinfo claims. */
  completeSignIn(callbackUrl: URL, flow: SignInFlow): Promise<Record<string, unknown>>;
  /** The claims of an access token the provider says is active and was issued to us, or null. */
  introspect(accessToken: string): Promise<Record<string, unknown> | null>;
}

export function createPscClient(settings: PscSettings): PscClient {
  let discovered: Promise<oidc.Configuration> | null = null;
  const configuration = (): Promise<oidc.Configuration> => {
    discovered ??= oidc
      .discovery(new URL(settings.issuer), settings.clientId, undefined, oidc.ClientSecretBasic(settings.clientSecret), {
        // Plain http only for a development issuer: the configuration requires https in production.
        execute: settings.issuer.startsWith('http://') ? [oidc.allowInsecureRequests] : [],
        timeout: TIMEOUT_SECONDS,
      })
      .catch((error: unknown) => {
        discovered = null; // try again on the next request
        throw new SignInError('unavailable', 'the identity provider could not be discovered', { cause: error });
      });
    return discovered;
  };

  return {
    async authorizationUrl(flow) {
      return oidc.buildAuthorizationUrl(await configuration(), {
        redirect_uri: settings.redirectUri,
        scope: SCOPE,
        acr_values: REQUIRED_ACR,
        state: flow.state,
        nonce: flow.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
        code_challenge_method: 'S256',
      });
    },

    async completeSignIn(callbackUrl, flow) {
      const config = await configuration();
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: flow.codeVerifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        if (error instanceof oidc.AuthorizationResponseError && error.error === 'access_denied') {
          throw new SignInError('cancelled', 'the professional cancelled at the provider', { cause: error });
        }
        throw new SignInError('failed', 'the authorization response or the code exchange failed', { cause: error });
      }
      const idToken = tokens.claims();
      if (!idToken) throw new SignInError('failed', 'no ID token');
      if (idToken.acr !== REQUIRED_ACR) throw new SignInError('failed', `authentication level ${String(idToken.acr)} is not ${REQUIRED_ACR}`);
      try {
        const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
        return { ...userinfo, ...idToken };
      } catch (error) {
        throw new SignInError('failed', 'userinfo could not be read', { cause: error });
      }
    },

    async introspect(accessToken) {
      if (!TOKEN_FORMAT.test(accessToken)) return null;
      const config = await configuration();
      let answer: oidc.IntrospectionResponse;
      try {
        answer = await oidc.tokenIntrospection(config, accessToken, { token_type_hint: 'access_token' });
      } catch (error) {
        throw new SignInError('unavailable', 'token introspection failed', { cause: error });
      }
      if (answer.active !== true) return null;
      // Only access tokens (not refresh tokens), from our issuer, issued to us.
      const type = String(answer.token_type ?? answer.typ ?? '').toLowerCase();
      const issuedTo = answer.client_id ?? answer.azp;
      if (type !== 'bearer' || issuedTo !== settings.clientId) return null;
      if (answer.iss !== undefined && answer.iss !== settings.issuer) return null;
      // Real time, not the service's clock: the provider's tokens live on its clock.
      if (typeof answer.exp === 'number' && answer.exp * 1000 <= Date.now()) return null;
      return answer as Record<string, unknown>;
    },
  };
}
