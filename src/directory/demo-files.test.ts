/**
 * The demo data shipped in demo/ must load without a single rejected line and must contain the
 * situations the demonstration relies on (families on one card, Corsica, abroad, no email…).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { csvBatches, type CsvBatch } from '../platform/csv';
import { INSURED_COLUMNS, parseInsuredRow, type InsuredPerson } from './insured-row';
import { parseProfessionalRow, PROFESSIONAL_COLUMNS, type HealthProfessional } from './professional-row';
import {
  DOCTOR,
  EMERGENCY_MEDICINE_SPECIALTIES,
  GENERAL_PRACTICE_SPECIALTIES,
  isOccupationalDoctor,
} from './professions';
import { parseNir } from '../identity/nir';

async function load<T>(file: string, columns: readonly string[], parse: (row: Record<string, string>) => { ok: true; value: T } | { ok: false; errors: string[] }): Promise<T[]> {
  const csv: CsvBatch = { header: [], rows: [], errors: [] };
  for await (const batch of csvBatches(fileURLToPath(new URL(`../../demo/${file}`, import.meta.url)))) {
    csv.header = batch.header;
    csv.rows.push(...batch.rows);
    csv.errors.push(...batch.errors);
  }
  assert.deepEqual(csv.errors, [], `${file}: CSV errors`);
  assert.deepEqual(csv.header, [...columns], `${file}: header`);
  return csv.rows.map(({ line, fields }) => {
    const result = parse(fields);
    if (!result.ok) assert.fail(`${file} line ${line}: ${result.errors.join(' ; ')}`);
    return result.value;
  });
}

const insured: InsuredPerson[] = await load('insured-persons.csv', INSURED_COLUMNS, (row) => parseInsuredRow(row));
const professionals: HealthProfessional[] = await load('professionals.csv', PROFESSIONAL_COLUMNS, parseProfessionalRow);
const byNir = new Map(insured.map((p) => [p.ins.matricule, p]));
const byRpps = new Map(professionals.map((p) => [p.rpps, p]));
const isOwnCard = (p: InsuredPerson) => p.cardHolderNir === p.ins.matricule;

test('both files parse completely, with enough rows and no duplicates', () => {
  assert.ok(insured.length >= 30, `${insured.length} insured persons`);
  assert.ok(professionals.length >= 15, `${professionals.length} professionals`);
  assert.equal(byNir.size, insured.length, 'duplicate NIR');
  assert.equal(byRpps.size, professionals.length, 'duplicate RPPS');
  // A Vitale card belongs to one holder: the same serial must always name the same holder.
  const holderOfSerial = new Map<string, string>();
  for (const p of insured) {
    const known = holderOfSerial.get(p.vitaleSerial);
    assert.ok(known === undefined || known === p.cardHolderNir, `serial ${p.vitaleSerial} has two holders`);
    holderOfSerial.set(p.vitaleSerial, p.cardHolderNir);
  }
});

test('the first person matches the seed example (NIR 1 85 05 49 588 157, card 1242687940214477)', () => {
  const first = insured[0]!;
  assert.equal(first.ins.matricule.slice(0, 13), '1850549588157');
  assert.equal(first.vitaleSerial, '1242687940214477');
  assert.ok(first.email);
});

test('families: children have their own INS and use a parent’s card', () => {
  const children = insured.filter((p) => !isOwnCard(p));
  assert.ok(children.length >= 5, `${children.length} children on a parent's card`);
  const parents = new Set(children.map((c) => c.cardHolderNir));
  assert.ok(parents.size >= 4, `${parents.size} parents with children on their card`);
  for (const child of children) {
    const parent = byNir.get(child.cardHolderNir);
    assert.ok(parent, `card holder of ${child.ins.matricule} is in the file`);
    assert.ok(isOwnCard(parent), 'a parent holds their own card');
    assert.equal(child.vitaleSerial, parent.vitaleSerial, 'same card, same serial');
    assert.equal(child.vitaleType, parent.vitaleType);
    assert.notEqual(child.ins.matricule, parent.ins.matricule);
    const gap = Number(child.ins.traits.birthDate.slice(0, 4)) - Number(parent.ins.traits.birthDate.slice(0, 4));
    assert.ok(gap >= 16, `parent ${gap} years older than child`);
  }
});

test('special births: Corsica (2A and 2B), abroad (99), overseas (97x)', () => {
  const department = (p: InsuredPerson) => {
    const r = parseNir(p.ins.matricule);
    return r.ok ? r.nir.department : '';
  };
  for (const dep of ['2A', '2B']) {
    const born = insured.filter((p) => department(p) === dep);
    assert.ok(born.length > 0, `someone born in ${dep}`);
    for (const p of born) assert.ok(p.ins.traits.birthPlace.startsWith(dep));
  }
  const abroad = insured.filter((p) => department(p) === '99');
  assert.ok(abroad.length >= 1);
  for (const p of abroad) assert.ok(p.ins.traits.birthPlace.startsWith('99'));
  assert.ok(insured.some((p) => department(p).startsWith('97')), 'someone born overseas');
});

test('an adult with no email gets letters: a full postal address', () => {
  const noEmail = insured.filter((p) => isOwnCard(p) && p.email === null);
  assert.ok(noEmail.length >= 1);
  for (const p of noEmail) {
    assert.ok(p.address.line && p.address.city);
    assert.match(p.address.postalCode, /^\d{5}$/);
  }
});

test('various ages and both sexes', () => {
  const years = insured.map((p) => Number(p.ins.traits.birthDate.slice(0, 4)));
  assert.ok(Math.min(...years) < 1950 && Math.max(...years) >= 2015);
  assert.ok(insured.some((p) => p.ins.traits.sex === 'F') && insured.some((p) => p.ins.traits.sex === 'M'));
});

test('declared médecins traitants are doctors of the professionals file, for most adults', () => {
  for (const p of insured) {
    if (p.treatingDoctorRpps === null) continue;
    const doctor = byRpps.get(p.treatingDoctorRpps);
    assert.ok(doctor, `médecin traitant ${p.treatingDoctorRpps} is in professionals.csv`);
    assert.equal(doctor.professionCode, DOCTOR);
  }
  const adults = insured.filter(isOwnCard);
  const declared = adults.filter((p) => p.treatingDoctorRpps !== null);
  assert.ok(declared.length / adults.length > 0.75, `${declared.length}/${adults.length}`);
});

test('the professionals needed by the demonstration are there', () => {
  const first = professionals[0]!;
  assert.deepEqual([first.firstName, first.lastName, first.professionCode], ['Claire', 'MARTIN', DOCTOR]);
  assert.ok(GENERAL_PRACTICE_SPECIALTIES.includes(first.specialtyCode ?? ''));

  const doctorsIn = (codes: string[]) => professionals.filter((p) => p.professionCode === DOCTOR && codes.includes(p.specialtyCode ?? ''));
  assert.ok(doctorsIn([...GENERAL_PRACTICE_SPECIALTIES]).length >= 3, 'several GPs');
  assert.ok(doctorsIn(['SM04', 'SM73']).length >= 1, 'a cardiologist');
  assert.ok(doctorsIn(['SM44', 'SM74']).length >= 1, 'a radiologist');
  assert.ok(doctorsIn(['SM03']).length >= 1, 'a biologist');
  for (const profession of ['G15_21', 'G15_60', 'G15_70']) {
    assert.ok(professionals.some((p) => p.professionCode === profession), profession);
  }
  const regulators = professionals.filter((p) => p.role === 'samu_regulator');
  assert.ok(regulators.some((p) => EMERGENCY_MEDICINE_SPECIALTIES.includes(p.specialtyCode ?? '')), 'an emergency physician regulator');
  assert.ok(professionals.some((p) => isOccupationalDoctor(p.professionCode, p.specialtyCode)), 'an occupational doctor');
  for (const p of professionals) assert.match(p.rpps, /^[18]/);
});
