import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scrub } from './logging';

describe('log scrubbing', () => {
  it('removes what looks personal from free text', () => {
    const text = scrub(
      'Key (nir)=(185054958815780) exists; 2 85 05 2A 004 123 45; mail claire.martin@example.fr; ' +
        'tel 06 12 34 56 78 or +33712345678; code 48213907; creation RMGADQEP2KRG',
    );
    for (const secret of ['185054958815780', '2A 004', 'claire.martin', '06 12 34', '+3371', '48213907', 'RMGADQEP2KRG']) {
      assert.ok(!text.includes(secret), `${secret} should be scrubbed from: ${text}`);
    }
  });

  it('keeps ordinary technical words', () => {
    assert.equal(scrub('relation "insured_person" does not exist'), 'relation "insured_person" does not exist');
    assert.equal(scrub('GET /api/documents 200 in 12 ms'), 'GET /api/documents 200 in 12 ms');
  });
});
