import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateLoginId, isLoginIdFormat, LOGIN_ID_LETTERS } from './login-id';

test('the alphabet has no ambiguous letters', () => {
  assert.equal(LOGIN_ID_LETTERS.length, 23);
  for (const c of 'ilo') assert.equal(LOGIN_ID_LETTERS.includes(c), false);
});

test('format: 3 letters then 4 digits by default, more with extraDigits', () => {
  const id = generateLoginId();
  assert.match(id, /^[a-hjkmnp-z]{3}\d{4}$/);
  assert.equal(isLoginIdFormat(id), true);
  assert.match(generateLoginId({ extraDigits: 2 }), /^[a-hjkmnp-z]{3}\d{6}$/);
  assert.equal(isLoginIdFormat(generateLoginId({ extraDigits: 6 })), true);
  assert.throws(() => generateLoginId({ extraDigits: 7 }), RangeError);
  assert.throws(() => generateLoginId({ extraDigits: -1 }), RangeError);
  assert.throws(() => generateLoginId({ extraDigits: 1.5 }), RangeError);
});

test('isLoginIdFormat', () => {
  assert.equal(isLoginIdFormat('hup7510'), true);
  assert.equal(isLoginIdFormat('hup751012'), true);
  for (const bad of ['HUP7510', 'hip7510', 'hlp7510', 'hop7510', 'hup751', 'hu7510', 'hup75100000000', ' hup7510', 'hup-7510', '']) {
    assert.equal(isLoginIdFormat(bad), false, bad);
  }
});

test('every letter and digit appears, and 10,000 draws never collide on the letters+digits space', () => {
  const seen = new Set<string>();
  const letters = new Set<string>();
  const digits = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    // 6 digits: 23^3 × 10^6 ≈ 1.2 × 10^10, so 10,000 draws collide with probability ≈ 0.4 %.
    const id = generateLoginId({ extraDigits: 2 });
    for (const c of id.slice(0, 3)) letters.add(c);
    for (const c of id.slice(3)) digits.add(c);
    seen.add(id);
  }
  assert.equal(letters.size, LOGIN_ID_LETTERS.length);
  assert.equal(digits.size, 10);
  assert.ok(seen.size >= 9_999, `too many collisions: ${10_000 - seen.size}`);
});

test('with the default 4 digits, collisions are rare (the store retries with extraDigits)', () => {
  // 23^3 × 10^4 ≈ 1.2 × 10^8 identifiers: ~0.4 expected collisions in 10,000 draws.
  const seen = new Set<string>();
  for (let i = 0; i < 10_000; i++) seen.add(generateLoginId());
  assert.ok(10_000 - seen.size <= 5, `unexpected collisions: ${10_000 - seen.size}`);
});
