import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvBatches, type CsvBatch } from './csv';

/** The whole text read as a file, its batches put together. */
async function parseCsv(text: string, batchSize?: number): Promise<CsvBatch> {
  const dir = mkdtempSync(join(tmpdir(), 'csv-test-'));
  try {
    const path = join(dir, 'file.csv');
    writeFileSync(path, text);
    const whole: CsvBatch = { header: [], rows: [], errors: [] };
    for await (const batch of csvBatches(path, batchSize)) {
      whole.header = batch.header;
      whole.rows.push(...batch.rows);
      whole.errors.push(...batch.errors);
    }
    return whole;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('header, rows keyed by column name, line numbers', async () => {
  const result = await parseCsv('a,b,c\n1,2,3\n4,5,6\n');
  assert.deepEqual(result.header, ['a', 'b', 'c']);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.rows, [
    { line: 2, fields: { a: '1', b: '2', c: '3' } },
    { line: 3, fields: { a: '4', b: '5', c: '6' } },
  ]);
});

test('BOM, CRLF, missing final line break, blank lines', async () => {
  const result = await parseCsv('\uFEFFnom,ville\r\nDurand,Angers\r\n\r\nMartin,Tours');
  assert.deepEqual(result.header, ['nom', 'ville']);
  assert.deepEqual(result.rows, [
    { line: 2, fields: { nom: 'Durand', ville: 'Angers' } },
    { line: 4, fields: { nom: 'Martin', ville: 'Tours' } },
  ]);
  assert.deepEqual(result.errors, []);
});

test('quoted fields: commas, doubled quotes, line breaks, empty quoted field', async () => {
  const text = 'a,b,c\n"12, rue de la Paix","dit ""le Grand""","ligne 1\nligne 2"\n"",x,""\nnext,1,2\n';
  const result = await parseCsv(text);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.rows, [
    { line: 2, fields: { a: '12, rue de la Paix', b: 'dit "le Grand"', c: 'ligne 1\nligne 2' } },
    { line: 4, fields: { a: '', b: 'x', c: '' } },
    { line: 5, fields: { a: 'next', b: '1', c: '2' } },
  ]);
});

test('UTF-8 accents and empty values are kept as they are', async () => {
  const result = await parseCsv('nom,prénom,email\nLÉVÊQUE,Noël,\n');
  assert.deepEqual(result.rows[0]?.fields, { nom: 'LÉVÊQUE', prénom: 'Noël', email: '' });
});

test('a row with the wrong number of fields is reported with its line and skipped', async () => {
  const result = await parseCsv('a,b\n1,2\n3\n4,5,6\n7,8\n');
  assert.deepEqual(result.rows.map((r) => r.line), [2, 5]);
  assert.deepEqual(result.errors, [
    { line: 3, message: 'Ligne 3 : 1 champs au lieu de 2 (comme l’en-tête).' },
    { line: 4, message: 'Ligne 4 : 3 champs au lieu de 2 (comme l’en-tête).' },
  ]);
});

test('syntax errors: text after a closing quote, unterminated quote', async () => {
  const after = await parseCsv('a,b\n"x"y,2\n3,4\n');
  assert.deepEqual(after.errors, [{ line: 2, message: 'Ligne 2 : caractère « y » après un guillemet fermant.' }]);
  assert.deepEqual(after.rows.map((r) => r.fields), [{ a: '3', b: '4' }]);

  const open = await parseCsv('a,b\n1,2\n"3,4\n');
  assert.deepEqual(open.errors, [{ line: 3, message: 'Ligne 3 : guillemet ouvert jamais refermé.' }]);
  assert.equal(open.rows.length, 1);
});

test('header problems: empty file, duplicate or empty column names', async () => {
  assert.deepEqual((await parseCsv('')).errors, [{ line: 1, message: 'Le fichier est vide : la ligne d’en-tête manque.' }]);
  assert.deepEqual((await parseCsv('\n\n')).errors, [{ line: 1, message: 'Le fichier est vide : la ligne d’en-tête manque.' }]);
  assert.deepEqual((await parseCsv('a,a\n1,2\n')).errors, [{ line: 1, message: 'Ligne 1 : la colonne « a » apparaît deux fois dans l’en-tête.' }]);
  assert.deepEqual((await parseCsv('a,,c\n1,2,3\n')).errors, [{ line: 1, message: 'Ligne 1 : l’en-tête contient une colonne sans nom.' }]);
});

test('header names are trimmed, values are not (the row parsers decide)', async () => {
  const result = await parseCsv(' a , b\n 1 ,2\n');
  assert.deepEqual(result.rows[0]?.fields, { a: ' 1 ', b: '2' });
});

test('a CRLF inside a quoted field is one line break: the lines after it keep their numbers', async () => {
  const result = await parseCsv('a,b\r\n"x\r\ny",2\r\n3,4\r\n');
  assert.deepEqual(result.rows, [
    { line: 2, fields: { a: 'x\r\ny', b: '2' } },
    { line: 4, fields: { a: '3', b: '4' } },
  ]);
});

test('after a syntax error the reading goes on at the next line, whatever the line breaks', async () => {
  const text = 'a,b\r\n1,2\r\n\r\n"x\r\ny"z,2\r\n3,4\r\n"p"q,5\n\n6,7\r8,9\n';
  const result = await parseCsv(text);
  assert.deepEqual(result.errors, [
    { line: 4, message: 'Ligne 4 : caractère « z » après un guillemet fermant.' },
    { line: 7, message: 'Ligne 7 : caractère « q » après un guillemet fermant.' },
  ]);
  assert.deepEqual(result.rows.map((r) => [r.line, r.fields.a]), [[2, '1'], [6, '3'], [9, '6'], [10, '8']]);
});

test('a quote inside an unquoted field is refused with its line, as RFC 4180 wants', async () => {
  const result = await parseCsv('a,b\nO"Neil,2\n3,4\n');
  assert.deepEqual(result.errors.map((e) => e.line), [2]);
  assert.match(result.errors[0]!.message, /^Ligne 2 : guillemet au milieu d’un champ/);
  assert.deepEqual(result.rows.map((r) => r.fields), [{ a: '3', b: '4' }]);
});

test('batches: their size, line numbers across them, and the good lines read with an error in the same chunk', async () => {
  const good = Array.from({ length: 5000 }, (_, i) => `${i},"adresse ${i}\nsuite"`);
  const text = ['a,b', ...good.slice(0, 2500), '"x"y,1', ...good.slice(2500)].join('\n') + '\n';
  const batches: CsvBatch[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'csv-test-'));
  try {
    writeFileSync(join(dir, 'big.csv'), text);
    for await (const batch of csvBatches(join(dir, 'big.csv'), 1000)) batches.push(batch);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(batches.map((b) => b.rows.length + b.errors.length), [1000, 1000, 1000, 1000, 1000, 1]);
  const rows = batches.flatMap((b) => b.rows);
  const errors = batches.flatMap((b) => b.errors);
  assert.equal(rows.length, 5000);
  assert.deepEqual(errors.map((e) => e.line), [2 + 2 * 2500]);
  assert.deepEqual(rows[2499], { line: 2 + 2 * 2499, fields: { a: '2499', b: 'adresse 2499\nsuite' } });
  assert.deepEqual(rows[2500], { line: 3 + 2 * 2500, fields: { a: '2500', b: 'adresse 2500\nsuite' } });
  assert.ok(batches.every((b) => b.header.join() === 'a,b'));
});

test('a header that cannot be read: that error alone, and no row', async () => {
  const result = await parseCsv('a,"b"c\n1,2\n');
  assert.deepEqual(result, { header: [], rows: [], errors: [{ line: 1, message: 'Ligne 1 : caractère « c » après un guillemet fermant.' }] });
});
