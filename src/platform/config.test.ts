import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config';

const productionBase = {
  NODE_ENV: 'production',
  MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
  DATABASE_URL: 'postgres://dmp@db.internal/dmp',
  PUBLIC_URL: 'https://dmp.example.fr',
  SMTP_URL: 'smtp://mail.internal:587',
  SMS_GATEWAY_URL: 'https://sms.internal/send',
  AUDIT_SIGNING_KEY: Buffer.alloc(32, 9).toString('base64'),
  PSC_ISSUER: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet',
  PSC_CLIENT_ID: 'opendmp',
  PSC_CLIENT_SECRET: 'a-secret-given-by-pro-sante-connect',
};

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error;
  }
  assert.fail('the configuration was accepted');
}

describe('configuration', () => {
  it('starts a laptop with no variable at all', () => {
    const config = loadConfig({});
    assert.equal(config.PORT, 3000);
    assert.equal(config.PUBLIC_URL, 'http://localhost:3000');
    assert.equal(config.DATABASE_URL, undefined);
    assert.equal(config.DEMO_DATA, true);
    assert.equal(config.DEV_OUTBOX, true);
    assert.equal(config.PRINT_QUEUE_DIR, './data/print-queue');
    assert.equal(config.BLOB_STORE, 'file:./data/blobs');
    assert.equal(config.MAX_UPLOAD_BYTES, 20 * 1024 * 1024);
    assert.equal(config.AUDIT_CHECKPOINT_MINUTES, 5, 'the period the README promises');
  });

  it('follows PORT in the default public address', () => {
    assert.equal(loadConfig({ PORT: '8080' }).PUBLIC_URL, 'http://localhost:8080');
  });

  it('names the variable and the value it refuses', () => {
    const error = refusal({ PORT: 'trois-mille' });
    assert.equal(error.variable, 'PORT');
    assert.match(error.message, /^PORT: .*\(got "trois-mille"\)$/);
    assert.equal(refusal({ DATABASE_URL: 'mysql://x' }).variable, 'DATABASE_URL');
    assert.equal(refusal({ MASTER_KEY: 'short' }).variable, 'MASTER_KEY');
    assert.equal(refusal({ DEMO_DATA: 'maybe' }).variable, 'DEMO_DATA');
    assert.equal(refusal({ LOG_LEVEL: 'loud' }).variable, 'LOG_LEVEL');
    assert.equal(refusal({ AUDIT_CHECKPOINT_MINUTES: '0' }).variable, 'AUDIT_CHECKPOINT_MINUTES');
    assert.equal(refusal({ AUDIT_CHECKPOINT_MINUTES: '90' }).variable, 'AUDIT_CHECKPOINT_MINUTES');
  });

  it('trusts no proxy by default, and reads a list of addresses and ranges', () => {
    assert.deepEqual(loadConfig({}).TRUSTED_PROXIES, []);
    assert.deepEqual(loadConfig({ TRUSTED_PROXIES: '' }).TRUSTED_PROXIES, []);
    assert.deepEqual(loadConfig({ TRUSTED_PROXIES: ' 10.0.0.5, 10.1.0.0/16,fd00::/8 ,::1' }).TRUSTED_PROXIES, ['10.0.0.5', '10.1.0.0/16', 'fd00::/8', '::1']);
    for (const bad of ['loopback', '10.0.0.0/33', '10.0.0.5 10.0.0.6', '300.1.1.1']) {
      assert.equal(refusal({ TRUSTED_PROXIES: bad }).variable, 'TRUSTED_PROXIES', bad);
    }
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig(productionBase);
    assert.equal(config.DEMO_DATA, false);
    assert.equal(config.DEV_OUTBOX, false);
  });

  it('refuses development defaults in production', () => {
    const { MASTER_KEY: _key, ...noKey } = productionBase;
    assert.equal(refusal(noKey).variable, 'MASTER_KEY');
    assert.equal(refusal({ ...productionBase, DEV_OUTBOX: 'on' }).variable, 'DEV_OUTBOX');
    assert.equal(refusal({ ...productionBase, DEMO_DATA: 'on' }).variable, 'DEMO_DATA');
    const { DATABASE_URL: _url, ...embedded } = productionBase;
    assert.equal(refusal(embedded).variable, 'DATABASE_URL');
    const { SMTP_URL: _smtp, ...noMail } = productionBase;
    assert.equal(refusal(noMail).variable, 'SMTP_URL');
    assert.equal(refusal({ ...productionBase, DEV_OIDC_PROVIDER: 'on' }).variable, 'DEV_OIDC_PROVIDER');
    assert.equal(refusal({ ...productionBase, PSC_ISSUER: 'http://psc.example.fr' }).variable, 'PSC_ISSUER');
    const { PSC_CLIENT_SECRET: _secret, ...noSecret } = productionBase;
    assert.equal(refusal(noSecret).variable, 'PSC_CLIENT_SECRET');
  });
});
