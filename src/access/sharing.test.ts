import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mayBeBlocked } from './sharing';

describe('mayBeBlocked', () => {
  it('refuses to block the médecin traitant', () => {
    assert.equal(mayBeBlocked({ treatingDoctorId: '10000000001' }, '10000000001'), false);
  });

  it('lets any other professional be blocked, also when the patient has no médecin traitant', () => {
    assert.equal(mayBeBlocked({ treatingDoctorId: '10000000001' }, '10000000002'), true);
    assert.equal(mayBeBlocked({ treatingDoctorId: null }, '10000000002'), true);
  });
});
