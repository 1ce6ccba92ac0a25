/**
 * The one check of a bearer access token, for both doors that take one (RFC 6750):
 * - `/fhir`, the door of practice software: a token for the FHIR resource (audience
 *   `PUBLIC_URL/fhir`, RFC 8707/9068) issued to admitted software (software-clients.ts);
 * - `/api/pro`, the JSON API of the service's own web app: a token issued to the service's own
 *   client (what it always accepted).
 * Authenticity first (psc-client.ts: JWKS signature or introspection), then the pure rules
 * (token-rules.ts), then the register of software. Who the professional is comes after, from
 * the claims (professional.ts `identityFromClaims`) and the directory, at the door.
 */
import type { AppContext } from '../platform';
import type { PscClient } from './psc-client';
import type { PscSettings } from './psc-settings';
import { findSoftwareClient } from './software-clients';
import { judgeToken, type TokenAudience, type TokenRefusal } from './token-rules';

export type TokenDoor = 'fhir' | 'api';

export type AccessTokenCheck = { ok: true; claims: Record<string, unknown>; clientId: string | undefined } | { ok: false; refusal: TokenRefusal };

export function audienceOf(settings: PscSettings, door: TokenDoor): TokenAudience {
  return door === 'fhir' ? { resource: settings.fhirResource } : { client: settings.clientId };
}

export async function checkAccessToken(
  ctx: Pick<AppContext, 'database'>,
  client: PscClient,
  settings: PscSettings,
  token: string,
  door: TokenDoor,
): Promise<AccessTokenCheck> {
  const authenticated = await client.authenticateToken(token);
  if (typeof authenticated === 'string') return { ok: false, refusal: authenticated };
  const { facts, claims } = authenticated;
  // Real time, not the service's clock: the provider's tokens live on its clock.
  const refusal = judgeToken(facts, { issuer: settings.issuer, audience: audienceOf(settings, door) }, Math.floor(Date.now() / 1000));
  if (refusal) return { ok: false, refusal };
  if (door === 'fhir') {
    const software = facts.clientId ? await findSoftwareClient(ctx, facts.clientId) : null;
    if (!software || software.disabledAt) return { ok: false, refusal: 'client' };
  }
  return { ok: true, claims, clientId: facts.clientId };
}
