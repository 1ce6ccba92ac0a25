import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  checkOneTimeCode,
  generateOneTimeCode,
  hashOneTimeCode,
  matchesOneTimeCode,
  normalizeOneTimeCode,
  oneTimeCodeKey,
  type OneTimeCodeState,
} from './one-time-code';

describe('one-time codes', () => {
  it('are 8 digits, leading zeros kept, spread over every position', () => {
    const seen = Array.from({ length: 8 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) {
      const code = generateOneTimeCode();
      assert.match(code, /^\d{8}$/);
      [...code].forEach((digit, at) => seen[at]!.add(digit));
    }
    for (const digits of seen) assert.equal(digits.size, 10);
  });

  it('are stored as an HMAC bound to the challenge, under a key derived from the master key', () => {
    const master = randomBytes(32);
    const key = oneTimeCodeKey(master);
    assert.equal(key.length, 32);
    assert.notDeepEqual(key, master);
    assert.deepEqual(oneTimeCodeKey(master), key);
    const mac = hashOneTimeCode(key, 'challenge-1', '12345678');
    assert.equal(mac.length, 32);
    assert.ok(!mac.toString('hex').includes('12345678'));
    assert.notDeepEqual(hashOneTimeCode(key, 'challenge-2', '12345678'), mac);
    assert.notDeepEqual(hashOneTimeCode(oneTimeCodeKey(randomBytes(32)), 'challenge-1', '12345678'), mac);
    // The separator keeps (id, code) pairs apart: "a" + "1…" differs from "a1" + "…".
    assert.notDeepEqual(hashOneTimeCode(key, 'a', '12345678'), hashOneTimeCode(key, 'a1', '2345678'));
  });

  it('match what people type: spaces, dashes, dots, full-width digits', () => {
    const key = oneTimeCodeKey(randomBytes(32));
    const mac = hashOneTimeCode(key, 'c', '01234567');
    for (const typed of ['01234567', '0123 4567', ' 01-23-45-67 ', '0123.4567', '０１２３４５６７']) {
      assert.equal(matchesOneTimeCode(key, 'c', typed, mac), true, typed);
    }
    for (const typed of ['01234568', '1234567', '012345670', '', 'abcdefgh']) {
      assert.equal(matchesOneTimeCode(key, 'c', typed, mac), false, typed);
    }
    assert.equal(matchesOneTimeCode(key, 'other', '01234567', mac), false);
    assert.equal(matchesOneTimeCode(key, 'c', '01234567', mac.subarray(0, 16)), false);
    assert.equal(normalizeOneTimeCode(' 12 34-56.78 '), '12345678');
  });
});

describe('checkOneTimeCode', () => {
  const now = new Date('2026-03-12T09:05:00Z');
  const fresh: OneTimeCodeState = {
    expiresAt: new Date('2026-03-12T09:10:00Z'),
    attempts: 0,
    consumedAt: null,
    maxAttempts: 5,
  };

  it('accepts the right code within its validity', () => {
    assert.deepEqual(checkOneTimeCode(fresh, now, true), { outcome: 'ok', attemptsLeft: 5, message: 'Code accepté.' });
    assert.equal(checkOneTimeCode({ ...fresh, attempts: 4 }, now, true).outcome, 'ok');
  });

  it('counts wrong codes down, then refuses even the right one', () => {
    const messages: string[] = [];
    let state = fresh;
    for (let i = 0; i < 5; i++) {
      const check = checkOneTimeCode(state, now, false);
      assert.equal(check.outcome, 'wrong');
      assert.equal(check.attemptsLeft, 4 - i);
      messages.push(check.message);
      state = { ...state, attempts: state.attempts + 1 };
    }
    assert.deepEqual(messages, [
      'Ce code n’est pas le bon. Il vous reste 4 essais.',
      'Ce code n’est pas le bon. Il vous reste 3 essais.',
      'Ce code n’est pas le bon. Il vous reste 2 essais.',
      'Ce code n’est pas le bon. Il vous reste 1 essai.',
      'Ce code n’est pas le bon. Vous avez utilisé tous vos essais : demandez un nouveau code.',
    ]);
    assert.deepEqual(checkOneTimeCode(state, now, true), {
      outcome: 'too-many-attempts',
      attemptsLeft: 0,
      message: 'Trop d’essais avec ce code. Demandez un nouveau code.',
    });
    assert.equal(checkOneTimeCode({ ...state, attempts: 9 }, now, true).attemptsLeft, 0);
  });

  it('expires at the end of its validity, to the millisecond', () => {
    const justBefore = new Date(fresh.expiresAt.getTime() - 1);
    assert.equal(checkOneTimeCode(fresh, justBefore, true).outcome, 'ok');
    const expired = checkOneTimeCode(fresh, fresh.expiresAt, true);
    assert.equal(expired.outcome, 'expired');
    assert.equal(expired.message, 'Ce code a expiré. Demandez un nouveau code.');
    assert.equal(checkOneTimeCode(fresh, new Date('2026-03-13T00:00:00Z'), false).outcome, 'expired');
  });

  it('is used once only, whatever else is true', () => {
    const used = { ...fresh, consumedAt: new Date('2026-03-12T09:04:00Z') };
    for (const matches of [true, false]) {
      const check = checkOneTimeCode(used, now, matches);
      assert.equal(check.outcome, 'used');
      assert.equal(check.message, 'Ce code a déjà été utilisé. Demandez un nouveau code.');
    }
    assert.equal(checkOneTimeCode({ ...used, attempts: 5 }, fresh.expiresAt, true).outcome, 'used');
  });

  it('says "too many attempts" before "expired"', () => {
    assert.equal(checkOneTimeCode({ ...fresh, attempts: 5 }, fresh.expiresAt, true).outcome, 'too-many-attempts');
  });

  it('follows the caller’s limit', () => {
    const three = { ...fresh, maxAttempts: 3 };
    assert.equal(checkOneTimeCode(three, now, false).attemptsLeft, 2);
    assert.equal(checkOneTimeCode({ ...three, attempts: 3 }, now, true).outcome, 'too-many-attempts');
  });
});
