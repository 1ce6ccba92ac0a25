import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnMessage, fieldReader, normalizeEmail, normalizeFrenchMobile, optionalField, squeeze } from './fields';

test('emails are trimmed and lowercased; impossible ones refused', () => {
  assert.equal(normalizeEmail('  Claire.Martin@Example.org '), 'claire.martin@example.org');
  assert.equal(normalizeEmail('jean-noel+dmp@mail.example.fr'), 'jean-noel+dmp@mail.example.fr');
  for (const bad of ['', 'claire', 'claire@', '@example.org', 'claire@example', 'cl aire@example.org', 'a@b@example.org', 'claire@example..org', 'claire@.org']) {
    assert.equal(normalizeEmail(bad), null, bad);
  }
  assert.equal(normalizeEmail(`${'a'.repeat(250)}@example.org`), null);
});

test('French mobiles in every usual spelling become +336… / +337…', () => {
  for (const input of ['06 39 98 00 01', '06.39.98.00.01', '0639980001', '+33 6 39 98 00 01', '+33 (0)6 39 98 00 01', '0033639980001', '06-39-98-00-01']) {
    assert.equal(normalizeFrenchMobile(input), '+33639980001', input);
  }
  assert.equal(normalizeFrenchMobile('07 12 34 56 78'), '+33712345678');
});

test('landlines, foreign and malformed numbers are refused', () => {
  for (const bad of ['01 23 45 67 89', '05 12 34 56 78', '08 00 00 00 00', '+32 470 12 34 56', '06 12 34 56 7', '06 12 34 56 789', '6 12 34 56 78', '']) {
    assert.equal(normalizeFrenchMobile(bad), null, bad);
  }
});

test('columnMessage, fieldReader, optionalField', () => {
  assert.equal(columnMessage('city', 'valeur obligatoire manquante.'), 'Colonne « city » : valeur obligatoire manquante.');
  const get = fieldReader({ a: '  x  ' });
  assert.equal(get('a'), 'x');
  assert.equal(get('absent'), '');
  let invalid = 0;
  assert.equal(optionalField('', normalizeEmail, () => invalid++), null);
  assert.equal(optionalField('A@B.FR', normalizeEmail, () => invalid++), 'a@b.fr');
  assert.equal(optionalField('nope', normalizeEmail, () => invalid++), null);
  assert.equal(invalid, 1);
  assert.equal(squeeze('12  rue\tde la  Paix'), '12 rue de la Paix');
});

test('columnMessage continues a sentence in lowercase but keeps acronyms', () => {
  assert.equal(columnMessage('nir', 'La clé ne correspond pas.'), 'Colonne « nir » : la clé ne correspond pas.');
  assert.equal(columnMessage('rpps', 'RPPS inconnu.'), 'Colonne « rpps » : RPPS inconnu.');
});
