/**
 * The service as an OpenID Connect client of Pro Santé Connect (or of the development provider):
 * authorization code flow with PKCE, state and nonce; and, as the resource server of practice
 * software calling with a bearer token, the check of that token: a JWT access token (RFC 9068)
 * against the issuer's published keys (its JWKS), an opaque one by token introspection (RFC 7662,
 * the method PSC documents for a service to check a token it receives). Nothing is kept in
 * memory but the discovered metadata and keys, which any node fetches again for itself.
 */
import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors as jose, jwtVerify } from 'jose';
import type { SignInFlow } from './psc-signin-flow';
import type { PscSettings } from './psc-settings';
import { factsOf, isAccessTokenType, isBearerTokenType, type TokenFacts, type TokenRefusal } from './token-rules';

/** PSC scope for the professional's identity and exercise (SubjectRefPro…). */
const SCOPE = 'openid scope_all';
/** eIDAS « substantiel »: CPS card or e-CPS, which PSC requires and names so. */
export const REQUIRED_ACR = 'eidas1';
const TIMEOUT_SECONDS = 10;
/** RFC 6750 §2.1 b64token, of a sane length: anything else is refused without asking the provider. */
const TOKEN_FORMAT = /^[A-Za-z0-9\-._~+/]{16,8192}=*$/;
const JWT_FORMAT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** Asymmetric algorithms only: a JWKS of public keys can never verify an HMAC, nor `none`. */
const ALGORITHMS = ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA'];
/** Clocks of issuer and service drift a little (RFC 9068 §4 leaves the margin to the resource server). */
const CLOCK_TOLERANCE_SECONDS = 30;
const NOT_SIGNED_BY_ISSUER = [jose.JWSSignatureVerificationFailed, jose.JWKSNoMatchingKey, jose.JWKSMultipleMatchingKeys, jose.JOSEAlgNotAllowed, jose.JOSENotSupported];

export type SignInFailure = 'cancelled' | 'failed' | 'unavailable';

export class SignInError extends Error {
  constructor(readonly reason: SignInFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SignInError';
  }
}

/** Where practice software goes to sign a professional in (the CapabilityStatement advertises them). */
export interface IssuerEndpoints {
  authorization: string;
  token: string;
  revocation?: string;
  introspection?: string;
}

/** An authenticated token: what it says of itself, and its claims (the professional's identity). */
export interface AuthenticatedToken {
  facts: TokenFacts;
  claims: Record<string, unknown>;
}

export interface PscClient {
  authorizationUrl(flow: SignInFlow): Promise<URL>;
  /** Checks the provider's answer and exchanges the code; returns the ID token and userinfo claims. */
  completeSignIn(callbackUrl: URL, flow: SignInFlow): Promise<Record<string, unknown>>;
  /**
   * Establishes that the token comes from the issuer (signature, or the issuer's introspection
   * answer) and reads it; whether it is for the door asking is token-rules.ts `judgeToken`.
   * Throws SignInError('unavailable') when the issuer cannot be reached.
   */
  authenticateToken(accessToken: string): Promise<AuthenticatedToken | TokenRefusal>;
  endpoints(): Promise<IssuerEndpoints>;
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

    async authenticateToken(accessToken) {
      if (!TOKEN_FORMAT.test(accessToken)) return 'malformed';
      return JWT_FORMAT.test(accessToken) ? verifyJwt(accessToken) : introspect(accessToken);
    },

    async endpoints() {
      const metadata = (await configuration()).serverMetadata();
      if (!metadata.authorization_endpoint || !metadata.token_endpoint) throw new SignInError('unavailable', 'the provider names no authorization or token endpoint');
      return {
        authorization: metadata.authorization_endpoint,
        token: metadata.token_endpoint,
        ...(metadata.revocation_endpoint ? { revocation: metadata.revocation_endpoint } : {}),
        ...(metadata.introspection_endpoint ? { introspection: metadata.introspection_endpoint } : {}),
      };
    },
  };

  /** RFC 9068 §4: signature by one of the issuer's keys, `iss`, `exp`; `aud` and the client are judged after. */
  async function verifyJwt(token: string): Promise<AuthenticatedToken | TokenRefusal> {
    let unverified: Record<string, unknown>;
    let typ: unknown;
    try {
      unverified = decodeJwt(token);
      typ = decodeProtectedHeader(token).typ;
    } catch {
      return 'malformed';
    }
    // Another issuer's token is refused before any key is fetched for it.
    if (unverified.iss !== settings.issuer) return 'foreign-issuer';
    if (!isAccessTokenType(typ)) return 'not-access-token';
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, await keys(), { issuer: settings.issuer, algorithms: ALGORITHMS, clockTolerance: CLOCK_TOLERANCE_SECONDS, requiredClaims: ['exp'] }));
    } catch (error) {
      if (error instanceof jose.JWTExpired) return 'expired';
      if (error instanceof jose.JWTClaimValidationFailed) return error.claim === 'nbf' ? 'expired' : 'malformed';
      // Unknown key id, bad signature, an algorithm we refuse: not signed by the issuer.
      if (NOT_SIGNED_BY_ISSUER.some((kind) => error instanceof kind)) return 'signature';
      if (error instanceof jose.JWTInvalid || error instanceof jose.JWSInvalid) return 'malformed';
      // The keys could not be fetched (network, timeout, not a JWKS): we cannot tell, the issuer is unavailable.
      throw new SignInError('unavailable', 'the provider’s keys could not be read', { cause: error });
    }
    return { facts: factsOf(payload, true), claims: payload };
  }

  let jwks: ReturnType<typeof createRemoteJWKSet> | null = null;
  async function keys() {
    if (jwks) return jwks;
    const uri = (await configuration()).serverMetadata().jwks_uri;
    if (!uri) throw new SignInError('unavailable', 'the provider publishes no keys (jwks_uri)');
    // jose keeps the keys for a while and fetches them again for an unknown key id (a rotation).
    jwks = createRemoteJWKSet(new URL(uri), { timeoutDuration: TIMEOUT_SECONDS * 1000 });
    return jwks;
  }

  /** RFC 7662: the issuer says whether the token is active and what it is. */
  async function introspect(token: string): Promise<AuthenticatedToken | TokenRefusal> {
    const config = await configuration();
    let answer: oidc.IntrospectionResponse;
    try {
      answer = await oidc.tokenIntrospection(config, token, { token_type_hint: 'access_token' });
    } catch (error) {
      throw new SignInError('unavailable', 'token introspection failed', { cause: error });
    }
    if (answer.active !== true) return 'inactive';
    const claims = answer as Record<string, unknown>;
    return { facts: factsOf(claims, isBearerTokenType(answer.token_type ?? answer.typ)), claims };
  }
}
