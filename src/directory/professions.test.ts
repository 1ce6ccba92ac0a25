import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  authorSpecialtyCode,
  EMERGENCY_MEDICINE_SPECIALTIES,
  findSpecialty,
  GENERAL_PRACTICE_SPECIALTIES,
  isOccupationalDoctor,
  OCCUPATIONAL_MEDICINE_SPECIALTIES,
  PROFESSIONS,
  professionLabel,
  SPECIALTIES,
} from './professions';

test('labels and codes', () => {
  assert.equal(professionLabel('G15_10'), 'Médecin');
  assert.equal(professionLabel('G15_70'), 'Masseur-Kinésithérapeute');
  assert.equal(professionLabel('XX'), undefined);
  assert.equal(findSpecialty('G15_10', 'SM54')?.label, 'Médecine générale');
  assert.equal(findSpecialty('G15_60', 'SM54'), undefined);
  assert.equal(authorSpecialtyCode('G15_10', 'SM54'), 'G15_10/SM54');
  assert.equal(authorSpecialtyCode('G15_60', null), 'G15_60');
  assert.equal(isOccupationalDoctor('G15_10', 'SM25'), true);
  assert.equal(isOccupationalDoctor('G15_10', 'SM54'), false);
  assert.equal(isOccupationalDoctor('G15_60', 'SM25'), false);
});

test('every specialty of a group is in the table', () => {
  for (const code of [...GENERAL_PRACTICE_SPECIALTIES, ...EMERGENCY_MEDICINE_SPECIALTIES, ...OCCUPATIONAL_MEDICINE_SPECIALTIES]) {
    assert.ok(findSpecialty('G15_10', code), code);
  }
});

/** The copied codes must stay those of the official value set, word for word. */
test('codes and display names match the JDV_J01 value set', (t) => {
  const path = fileURLToPath(new URL('../../../shared/reference/value-sets/JDV_J01_XdsAuthorSpecialty_CISIS.xml', import.meta.url));
  let xml: string;
  try {
    xml = readFileSync(path, 'utf8');
  } catch {
    t.skip('value set not available beside the repository');
    return;
  }
  const official = new Map<string, string>();
  for (const m of xml.matchAll(/<Concept code="([^"]*)"\s+codeSystem="1\.2\.250\.1\.213\.1\.1\.4\.5"\s+displayName="([^"]*)"/g)) {
    official.set(m[1]!, m[2]!.replace(/&apos;/g, "'"));
  }
  assert.ok(official.size > 100);
  for (const [code, label] of Object.entries(PROFESSIONS)) assert.equal(official.get(code), label, code);
  for (const [code, specialty] of Object.entries(SPECIALTIES)) assert.equal(official.get(code), specialty.displayName, code);
});
