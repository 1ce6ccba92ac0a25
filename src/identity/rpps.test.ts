import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeLuhnDigit, parseRpps } from './rpps';

test('Luhn digit on known values', () => {
  // Classic Luhn example: 7992739871 → 3.
  assert.equal(computeLuhnDigit('7992739871'), 3);
  assert.equal(computeLuhnDigit('0000000000'), 0);
  assert.equal(computeLuhnDigit('1000000000'), 9);
  assert.equal(computeLuhnDigit('0000000001'), 8);
  assert.throws(() => computeLuhnDigit('12a'), RangeError);
  assert.throws(() => computeLuhnDigit(''), RangeError);
});

test('a valid RPPS is accepted, spaces removed', () => {
  const payload = '1000123456';
  const rpps = payload + computeLuhnDigit(payload);
  assert.deepEqual(parseRpps(rpps), { ok: true, rpps });
  assert.deepEqual(parseRpps(` ${rpps.slice(0, 3)} ${rpps.slice(3, 7)} ${rpps.slice(7)} `), { ok: true, rpps });
  // ANS test professionals use numbers starting with 8.
  const testPs = '8997000001' + computeLuhnDigit('8997000001');
  assert.equal(parseRpps(testPs).ok, true);
});

test('each fault has its French message', () => {
  assert.deepEqual(parseRpps('1000123456'), {
    ok: false,
    error: { code: 'length', message: 'Le numéro RPPS doit comporter 11 chiffres (vous en avez saisi 10).' },
  });
  assert.deepEqual(parseRpps(''), {
    ok: false,
    error: { code: 'length', message: 'Le numéro RPPS doit comporter 11 chiffres (vous n’en avez saisi aucun).' },
  });
  assert.deepEqual(parseRpps('10001A34567'), {
    ok: false,
    error: { code: 'characters', message: 'Le numéro RPPS ne doit contenir que des chiffres.' },
  });
  const payload = '1000123456';
  const wrong = (computeLuhnDigit(payload) + 1) % 10;
  assert.deepEqual(parseRpps(payload + wrong), {
    ok: false,
    error: {
      code: 'key',
      message:
        'Le numéro RPPS n’est pas valide : le dernier chiffre (clé de contrôle) ne correspond pas. Vérifiez les chiffres saisis.',
    },
  });
});

test('property: any single changed digit is detected', () => {
  let seed = 12345;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let n = 0; n < 1000; n++) {
    const payload = '1' + String(Math.floor(next() * 1e9)).padStart(9, '0');
    const rpps = payload + computeLuhnDigit(payload);
    assert.equal(parseRpps(rpps).ok, true);
    for (let i = 0; i < rpps.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === rpps.charAt(i)) continue;
        const changed = rpps.slice(0, i) + d + rpps.slice(i + 1);
        assert.equal(parseRpps(changed).ok, false, `${rpps} → ${changed}`);
      }
    }
  }
});
