/**
 * Whether an access token presented to one of our doors is for that door: pure rules over what
 * the token says of itself once its authenticity is established (a JWT's verified signature, or
 * the issuer's own introspection answer). No I/O: access-token.ts gathers the facts.
 *
 * RFC 9068 §4 (JWT profile for access tokens) and RFC 7662 §2.2 (introspection) name the facts
 * read here; RFC 8707 (resource indicators) says a token names the resource it is for.
 */

/** Why a token is refused; each one gets its own sentence at the door (guard.ts). */
export type TokenRefusal =
  /** Not an RFC 6750 b64token, or not a JWT nor anything the issuer knows. */
  | 'malformed'
  /** A JWT whose signature is not one of the issuer's keys. */
  | 'signature'
  | 'expired'
  /** Signed or answered for by another issuer than the one we trust. */
  | 'foreign-issuer'
  /** A token of another kind (an ID token, a refresh token) shown as an access token. */
  | 'not-access-token'
  /** A real access token, meant for another resource or another client. */
  | 'audience'
  /** Issued to software that is not (or no longer) admitted to the FHIR door. */
  | 'client'
  /** The issuer says the token is no longer active (revoked, expired, unknown). */
  | 'inactive';

/** What a door accepts: tokens for a resource (the FHIR base), or the service's own tokens. */
export type TokenAudience = { resource: string } | { client: string };

export interface TokenFacts {
  issuer: string | undefined;
  /** `aud`, always as a list (RFC 7519 §4.1.3 allows a string). */
  audiences: string[];
  /** The client the token was issued to: `client_id` (RFC 9068 §2.2, RFC 7662), else `azp`. */
  clientId: string | undefined;
  /** Seconds since the epoch. */
  expiresAt: number | undefined;
  /** False for anything but an access token (read from the JWT `typ` or the introspection `token_type`). */
  accessToken: boolean;
}

/** RFC 9068 §2.1 `typ`: `at+jwt` (with or without the `application/` prefix); a plain `JWT` is what many issuers still write. */
export function isAccessTokenType(typ: unknown): boolean {
  if (typ === undefined) return true;
  if (typeof typ !== 'string') return false;
  const type = typ.toLowerCase().replace(/^application\//, '');
  return type === 'at+jwt' || type === 'jwt';
}

/** RFC 7662 §2.2 `token_type`: access tokens are bearer tokens; refresh tokens are refused here. */
export function isBearerTokenType(tokenType: unknown): boolean {
  return typeof tokenType === 'string' && tokenType.toLowerCase() === 'bearer';
}

/** The facts of a claims set (a verified JWT payload, or an introspection answer). */
export function factsOf(claims: Record<string, unknown>, accessToken: boolean): TokenFacts {
  const aud = claims.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
  const clientId = [claims.client_id, claims.azp].find((c): c is string => typeof c === 'string' && c !== '');
  return {
    issuer: typeof claims.iss === 'string' ? claims.iss : undefined,
    audiences,
    clientId,
    expiresAt: typeof claims.exp === 'number' ? claims.exp : undefined,
    accessToken,
  };
}

/**
 * The refusal, or null when the token is for this door. The issuer may be absent from an
 * introspection answer (the issuer itself answered); a JWT always names it (checked on verification).
 */
export function judgeToken(facts: TokenFacts, expected: { issuer: string; audience: TokenAudience }, nowSeconds: number): TokenRefusal | null {
  if (facts.issuer !== undefined && facts.issuer !== expected.issuer) return 'foreign-issuer';
  if (!facts.accessToken) return 'not-access-token';
  if (facts.expiresAt !== undefined && facts.expiresAt <= nowSeconds) return 'expired';
  const audience = expected.audience;
  if ('resource' in audience) {
    if (!facts.audiences.includes(audience.resource)) return 'audience';
    if (facts.clientId === undefined) return 'client';
  } else if (facts.clientId !== audience.client) {
    return 'audience';
  }
  return null;
}
