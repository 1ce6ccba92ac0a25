import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tooManyAttemptsMessage } from './rate-limit';

describe('tooManyAttemptsMessage', () => {
  it('says the wait in whole minutes, at least one', () => {
    assert.equal(tooManyAttemptsMessage(1), 'Trop de tentatives. Réessayez dans 1 minute.');
    assert.equal(tooManyAttemptsMessage(60), 'Trop de tentatives. Réessayez dans 1 minute.');
    assert.equal(tooManyAttemptsMessage(61), 'Trop de tentatives. Réessayez dans 2 minutes.');
    assert.equal(tooManyAttemptsMessage(900), 'Trop de tentatives. Réessayez dans 15 minutes.');
  });
});
