import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from './csv';

test('header, rows keyed by column name, line numbers', () => {
  const result = parseCsv('a,b,c\n1,2,3\n4,5,6\n');
  assert.deepEqual(result.header, ['a', 'b', 'c']);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.rows, [
    { line: 2, fields: { a: '1', b: '2', c: '3' } },
    { line: 3, fields: { a: '4', b: '5', c: '6' } },
  ]);
});

test('BOM, CRLF, missing final line break, blank lines', () => {
  const result = parseCsv('\uFEFFnom,ville\r\nDurand,Angers\r\n\r\nMartin,Tours');
  assert.deepEqual(result.header, ['nom', 'ville']);
  assert.deepEqual(result.rows, [
    { line: 2, fields: { nom: 'Durand', ville: 'Angers' } },
    { line: 4, fields: { nom: 'Martin', ville: 'Tours' } },
  ]);
  assert.deepEqual(result.errors, []);
});

test('quoted fields: commas, doubled quotes, line breaks, empty quoted field', () => {
  const text = 'a,b,c\n"12, rue de la Paix","dit ""le Grand""","ligne 1\nligne 2"\n"",x,""\nnext,1,2\n';
  const result = parseCsv(text);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.rows, [
    { line: 2, fields: { a: '12, rue de la Paix', b: 'dit "le Grand"', c: 'ligne 1\nligne 2' } },
    { line: 4, fields: { a: '', b: 'x', c: '' } },
    { line: 5, fields: { a: 'next', b: '1', c: '2' } },
  ]);
});

test('UTF-8 accents and empty values are kept as they are', () => {
  const result = parseCsv('nom,prénom,email\nLÉVÊQUE,Noël,\n');
  assert.deepEqual(result.rows[0]?.fields, { nom: 'LÉVÊQUE', prénom: 'Noël', email: '' });
});

test('a row with the wrong number of fields is reported with its line and skipped', () => {
  const result = parseCsv('a,b\n1,2\n3\n4,5,6\n7,8\n');
  assert.deepEqual(result.rows.map((r) => r.line), [2, 5]);
  assert.deepEqual(result.errors, [
    { line: 3, message: 'Ligne 3 : 1 champs au lieu de 2 (comme l’en-tête).' },
    { line: 4, message: 'Ligne 4 : 3 champs au lieu de 2 (comme l’en-tête).' },
  ]);
});

test('syntax errors: text after a closing quote, unterminated quote', () => {
  const after = parseCsv('a,b\n"x"y,2\n3,4\n');
  assert.deepEqual(after.errors, [{ line: 2, message: 'Ligne 2 : caractère « y » après un guillemet fermant.' }]);
  assert.deepEqual(after.rows.map((r) => r.fields), [{ a: '3', b: '4' }]);

  const open = parseCsv('a,b\n1,2\n"3,4\n');
  assert.deepEqual(open.errors, [{ line: 3, message: 'Ligne 3 : guillemet ouvert jamais refermé.' }]);
  assert.equal(open.rows.length, 1);
});

test('header problems: empty file, duplicate or empty column names', () => {
  assert.deepEqual(parseCsv('').errors, [{ line: 1, message: 'Le fichier est vide : la ligne d’en-tête manque.' }]);
  assert.deepEqual(parseCsv('\n\n').errors, [{ line: 1, message: 'Le fichier est vide : la ligne d’en-tête manque.' }]);
  assert.deepEqual(parseCsv('a,a\n1,2\n').errors, [{ line: 1, message: 'Ligne 1 : la colonne « a » apparaît deux fois dans l’en-tête.' }]);
  assert.deepEqual(parseCsv('a,,c\n1,2,3\n').errors, [{ line: 1, message: 'Ligne 1 : l’en-tête contient une colonne sans nom.' }]);
});

test('header names are trimmed, values are not (the row parsers decide)', () => {
  const result = parseCsv(' a , b\n 1 ,2\n');
  assert.deepEqual(result.rows[0]?.fields, { a: ' 1 ', b: '2' });
});
