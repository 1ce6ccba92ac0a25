import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CREATION_CODE_ALPHABET,
  generateCreationCode,
  isCreationCodeFormat,
  normalizeCreationCode,
} from './creation-code';

test('the alphabet has 31 characters and none of 0 O 1 I L', () => {
  assert.equal(CREATION_CODE_ALPHABET.length, 31);
  assert.equal(new Set(CREATION_CODE_ALPHABET).size, 31);
  for (const c of '0O1IL') assert.equal(CREATION_CODE_ALPHABET.includes(c), false, c);
});

test('a generated code has 12 characters of the alphabet', () => {
  const code = generateCreationCode();
  assert.equal(code.length, 12);
  assert.equal(isCreationCodeFormat(code), true);
  for (const c of code) assert.ok(CREATION_CODE_ALPHABET.includes(c));
});

test('the seed example is a valid code', () => {
  assert.equal(isCreationCodeFormat('RMGADQEP2KRG'), true);
});

test('normalizeCreationCode accepts what people type', () => {
  assert.equal(normalizeCreationCode(' rmga-dqep-2krg '), 'RMGADQEP2KRG');
  assert.equal(normalizeCreationCode('RMGA DQEP 2KRG'), 'RMGADQEP2KRG');
  assert.equal(normalizeCreationCode('rmgadqep2krg\n'), 'RMGADQEP2KRG');
});

test('isCreationCodeFormat refuses wrong lengths and ambiguous characters', () => {
  for (const bad of ['RMGADQEP2KR', 'RMGADQEP2KRGX', 'RMGADQEP0KRG', 'RMGADQEPOKRG', 'RMGADQEP1KRG', 'RMGADQEPIKRG', 'RMGADQEPLKRG', 'rmgadqep2krg', 'RMGA-DQEP-2K', '']) {
    assert.equal(isCreationCodeFormat(bad), false, bad);
  }
});

test('distribution: every character appears at every position; no collision in 10,000 draws', () => {
  const seen = new Set<string>();
  const perPosition = Array.from({ length: 12 }, () => new Map<string, number>());
  const draws = 10_000;
  for (let i = 0; i < draws; i++) {
    const code = generateCreationCode();
    seen.add(code);
    [...code].forEach((c, p) => {
      const counts = perPosition[p]!;
      counts.set(c, (counts.get(c) ?? 0) + 1);
    });
  }
  assert.equal(seen.size, draws);
  const expected = draws / CREATION_CODE_ALPHABET.length; // ≈ 323 per character and position
  for (const counts of perPosition) {
    assert.equal(counts.size, CREATION_CODE_ALPHABET.length);
    // Very loose bounds (≈ 7 standard deviations): catches a broken generator, never flaky.
    for (const n of counts.values()) assert.ok(n > expected * 0.6 && n < expected * 1.4, String(n));
  }
});
