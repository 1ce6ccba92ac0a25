import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cookiesSecure } from './sessions';

describe('cookiesSecure', () => {
  it('marks cookies Secure on https and on localhost, which browsers treat as secure', () => {
    for (const url of ['https://dmp.example.fr', 'https://localhost:3000', 'http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000', 'http://dmp.localhost']) {
      assert.equal(cookiesSecure({ PUBLIC_URL: url }), true, url);
    }
  });

  it('does not on plain http elsewhere, where browsers would drop such a cookie', () => {
    for (const url of ['http://192.168.1.20:3000', 'http://dmp.test', 'http://localhost.example.com']) {
      assert.equal(cookiesSecure({ PUBLIC_URL: url }), false, url);
    }
  });
});
