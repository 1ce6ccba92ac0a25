import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateInitialPassword, lockMinutes, maskEmail, maskMobile } from './rules';

describe('account rules', () => {
  it('locks after the fifth wrong password, for a growing time, at most a day', () => {
    assert.deepEqual([0, 1, 4].map(lockMinutes), [null, null, null]);
    assert.deepEqual([5, 6, 7, 8].map(lockMinutes), [15, 30, 60, 120]);
    assert.equal(lockMinutes(40), 24 * 60);
  });

  it('masks a mobile and an email', () => {
    assert.equal(maskMobile('+33639980078'), '06 •• •• •• 78');
    assert.equal(maskMobile('0712345678'), '07 •• •• •• 78');
    assert.equal(maskEmail('nicolas.durand@example.com'), 'n•••••@example.com');
  });

  it('makes initial passwords easy to copy and hard to guess', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const p = generateInitialPassword();
      assert.match(p, /^[a-km-zA-HJ-NP-Z2-9]{4}(-[a-km-zA-HJ-NP-Z2-9]{4}){3}$/);
      assert.doesNotMatch(p, /[01lIoO]/);
      seen.add(p);
    }
    assert.equal(seen.size, 1000);
  });
});
