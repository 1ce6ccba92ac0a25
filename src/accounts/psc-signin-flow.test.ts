import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { openFlow, sealFlow, type SignInFlow } from './psc-signin-flow';

const key = randomBytes(32);
const now = new Date('2026-03-12T09:00:00Z');
const flow: SignInFlow = { state: 's', nonce: 'n', codeVerifier: 'v', expiresAt: now.getTime() + 600_000 };

describe('the sign-in flow cookie', () => {
  it('opens with the key that sealed it, until it expires', () => {
    const cookie = sealFlow(key, flow);
    assert.deepEqual(openFlow(key, cookie, now), flow);
    assert.equal(openFlow(key, cookie, new Date(flow.expiresAt)), null);
  });

  it('does not open altered, foreign or missing', () => {
    const cookie = sealFlow(key, flow);
    const altered = Buffer.from(cookie, 'base64url');
    altered[altered.length - 1]! ^= 1;
    assert.equal(openFlow(key, altered.toString('base64url'), now), null);
    assert.equal(openFlow(randomBytes(32), cookie, now), null);
    assert.equal(openFlow(key, undefined, now), null);
    assert.equal(openFlow(key, 'not-a-cookie', now), null);
  });
});
