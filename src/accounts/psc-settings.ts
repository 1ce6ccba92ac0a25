import type { Config } from '../platform';

/** Where professionals sign in: Pro Santé Connect, or on a laptop the development provider. */
export interface PscSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Our callback, registered at the provider. */
  redirectUri: string;
  /**
   * The FHIR door as an OAuth resource (RFC 8707): the audience an access token must name to be
   * accepted at /fhir, and the resource the development provider issues practice software's tokens for.
   */
  fhirResource: string;
}

/** The development provider's path on our own server (dev-provider.ts). */
export const DEV_OIDC_PATH = '/dev/oidc';
export const CALLBACK_PATH = '/api/pro/callback';
export const FHIR_PATH = '/fhir';

type PscConfig = Pick<Config, 'PUBLIC_URL' | 'PSC_ISSUER' | 'PSC_CLIENT_ID' | 'PSC_CLIENT_SECRET' | 'DEV_OIDC_PROVIDER' | 'NODE_ENV'>;

/** Whether this server also plays the identity provider: never in production, nor when another issuer is set. */
export function devProviderEnabled(config: Pick<Config, 'DEV_OIDC_PROVIDER' | 'NODE_ENV' | 'PSC_ISSUER'>): boolean {
  return config.DEV_OIDC_PROVIDER && config.NODE_ENV !== 'production' && !config.PSC_ISSUER;
}

/** null when professional sign-in is not configured (possible only outside production). */
export function pscSettings(config: PscConfig): PscSettings | null {
  const publicUrl = config.PUBLIC_URL.replace(/\/+$/, '');
  const issuer = config.PSC_ISSUER ?? (devProviderEnabled(config) ? publicUrl + DEV_OIDC_PATH : undefined);
  if (!issuer || !config.PSC_CLIENT_ID || !config.PSC_CLIENT_SECRET) return null;
  return {
    // Compared as is with the discovery document's `issuer`: never rewritten.
    issuer,
    clientId: config.PSC_CLIENT_ID,
    clientSecret: config.PSC_CLIENT_SECRET,
    redirectUri: publicUrl + CALLBACK_PATH,
    fhirResource: publicUrl + FHIR_PATH,
  };
}
