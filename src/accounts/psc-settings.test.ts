import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../platform/config';
import { devProviderEnabled, pscSettings } from './psc-settings';

describe('professional sign-in settings', () => {
  it('use the development provider on a laptop', () => {
    const config = loadConfig({ NODE_ENV: 'development', PUBLIC_URL: 'http://localhost:3000/' });
    assert.equal(devProviderEnabled(config), true);
    assert.deepEqual(pscSettings(config), {
      issuer: 'http://localhost:3000/dev/oidc',
      clientId: 'opendmp-dev',
      clientSecret: 'dev-only-secret-never-in-production',
      redirectUri: 'http://localhost:3000/api/pro/callback',
      fhirResource: 'http://localhost:3000/fhir',
    });
  });

  it('use the configured issuer, as written, and then serve no development provider', () => {
    const config = loadConfig({ NODE_ENV: 'development', PSC_ISSUER: 'https://psc.example.fr/realms/x/' });
    assert.equal(pscSettings(config)?.issuer, 'https://psc.example.fr/realms/x/');
    assert.equal(devProviderEnabled(config), false);
  });

  it('are absent when neither an issuer nor the development provider is given', () => {
    assert.equal(pscSettings(loadConfig({ NODE_ENV: 'development', DEV_OIDC_PROVIDER: 'off' })), null);
  });

  it('never enable the development provider in production', () => {
    assert.equal(devProviderEnabled({ DEV_OIDC_PROVIDER: true, NODE_ENV: 'production', PSC_ISSUER: undefined }), false);
  });
});
