import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildIns, INS_OID, insKey, isIsoDate, type InsErrorCode, type InsTraits } from './ins';
import { computeNirKey } from './nir';

function withKey(first13: string): string {
  return first13 + String(computeNirKey(first13)).padStart(2, '0');
}

const NICOLAS = '185054958815725';
const nicolasTraits: InsTraits = {
  birthName: 'DURAND',
  firstNames: 'Nicolas Pierre',
  sex: 'M',
  birthDate: '1985-05-14',
  birthPlace: '49588',
};

function errorCodes(matricule: string, traits: InsTraits, today?: string): InsErrorCode[] {
  const result = buildIns(matricule, traits, { today });
  assert.equal(result.ok, false);
  return result.ok ? [] : result.errors.map((e) => e.code);
}

test('a NIR with consistent traits gives an INS with the NIR OID', () => {
  const result = buildIns('1 85 05 49 588 157 25', { ...nicolasTraits, birthName: '  DURAND ' });
  if (!result.ok) assert.fail(JSON.stringify(result.errors));
  assert.equal(result.ins.matricule, NICOLAS);
  assert.equal(result.ins.oid, '1.2.250.1.213.1.4.8');
  assert.equal(result.ins.kind, 'NIR');
  assert.equal(result.ins.traits.birthName, 'DURAND');
  assert.equal(insKey(result.ins), '1.2.250.1.213.1.4.8^185054958815725');
});

test('test identities use the test OIDs', () => {
  const nir = buildIns(NICOLAS, nicolasTraits, { test: true });
  assert.ok(nir.ok);
  assert.equal(nir.ok && nir.ins.oid, INS_OID.TEST_NIR);
  assert.equal(nir.ok && insKey(nir.ins), '1.2.250.1.213.1.4.10^185054958815725');

  const nia = withKey('8900399350045');
  const traits: InsTraits = { birthName: 'DIALLO', firstNames: 'Aminata', sex: 'F', birthDate: '1990-03-02', birthPlace: '99341' };
  const real = buildIns(nia, traits);
  assert.ok(real.ok);
  assert.equal(real.ok && real.ins.kind, 'NIA');
  assert.equal(real.ok && real.ins.oid, '1.2.250.1.213.1.4.9');
  const fake = buildIns(nia, traits, { test: true });
  assert.equal(fake.ok && fake.ins.oid, '1.2.250.1.213.1.4.11');
});

test('the same person typed differently gives the same key', () => {
  const a = buildIns('1 85 05 49 588 157 25', nicolasTraits);
  const b = buildIns('185054958815725', nicolasTraits);
  assert.ok(a.ok && b.ok);
  assert.equal(a.ok && b.ok && insKey(a.ins) === insKey(b.ins), true);
});

test('a bad matricule carries the NIR message', () => {
  const result = buildIns('185054958815780', nicolasTraits);
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(result.errors, [
    {
      code: 'matricule',
      field: 'matricule',
      message: 'La clé du numéro de sécurité sociale ne correspond pas : vérifiez les chiffres saisis.',
    },
  ]);
});

test('a provisional number cannot be a matricule INS', () => {
  assert.deepEqual(errorCodes(withKey('3850549588157'), nicolasTraits), ['matricule-kind']);
});

test('sex, year and month must agree with the NIR', () => {
  const result = buildIns(NICOLAS, { ...nicolasTraits, sex: 'F' });
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.equal(
      result.errors[0]?.message,
      'Le sexe indiqué ne correspond pas au numéro de sécurité sociale, dont le premier chiffre (1) désigne un homme.',
    );
  }
  assert.deepEqual(errorCodes(NICOLAS, { ...nicolasTraits, birthDate: '1986-05-14' }), ['year-mismatch']);
  assert.deepEqual(errorCodes(NICOLAS, { ...nicolasTraits, birthDate: '1985-06-14' }), ['month-mismatch']);
  assert.deepEqual(errorCodes(NICOLAS, { ...nicolasTraits, sex: 'F', birthDate: '1984-04-01' }), [
    'sex-mismatch',
    'year-mismatch',
    'month-mismatch',
  ]);
  // The century is not in the NIR: 1885 and 1985 both match "85".
  assert.ok(buildIns(NICOLAS, { ...nicolasTraits, birthDate: '1885-05-14' }).ok);
});

test('unknown birth month in the NIR: any month of the right year is accepted', () => {
  const unknownMonth = withKey('1703399350045');
  const traits: InsTraits = { birthName: 'NGUYEN', firstNames: 'Van', sex: 'M', birthDate: '1970-01-01', birthPlace: '99243' };
  assert.ok(buildIns(unknownMonth, traits).ok);
  assert.ok(buildIns(unknownMonth, { ...traits, birthDate: '1970-12-31' }).ok);
  assert.deepEqual(errorCodes(unknownMonth, { ...traits, birthDate: '1971-01-01' }), ['year-mismatch']);
});

test('each trait is checked, with a French message naming it', () => {
  const cases: Array<[Partial<InsTraits>, InsErrorCode]> = [
    [{ birthName: '' }, 'birth-name'],
    [{ birthName: 'DURAND2' }, 'birth-name'],
    [{ firstNames: '  ' }, 'first-names'],
    [{ firstNames: 'Jean <script>' }, 'first-names'],
    [{ sex: 'X' as 'M' }, 'sex'],
    [{ birthDate: '14/05/1985' }, 'birth-date'],
    [{ birthDate: '1985-02-30' }, 'birth-date'],
    [{ birthDate: '1785-05-14' }, 'birth-date'],
    [{ birthPlace: '4958' }, 'birth-place'],
    [{ birthPlace: '2C004' }, 'birth-place'],
  ];
  for (const [change, code] of cases) {
    const result = buildIns(NICOLAS, { ...nicolasTraits, ...change });
    assert.equal(result.ok, false, JSON.stringify(change));
    if (result.ok) continue;
    assert.deepEqual(result.errors.map((e) => e.code), [code], JSON.stringify(change));
    assert.match(result.errors[0]?.message ?? '', /^[A-ZÀ-Ü]/);
  }
});

test('names with accents, hyphens, apostrophes and spaces are accepted', () => {
  const result = buildIns(NICOLAS, {
    ...nicolasTraits,
    birthName: "D'ALMEIDA-LÉVÊQUE",
    firstNames: 'Jean-Noël  Loïc',
    birthPlace: '49588',
  });
  if (!result.ok) assert.fail(JSON.stringify(result.errors));
  assert.equal(result.ins.traits.firstNames, 'Jean-Noël Loïc');
});

test('birth places: Corsica, overseas and abroad', () => {
  const corsican = withKey('269022A004123');
  const traits: InsTraits = { birthName: 'SANTONI', firstNames: 'Marie-Ange', sex: 'F', birthDate: '1969-02-11', birthPlace: '2a004' };
  const result = buildIns(corsican, traits);
  if (!result.ok) assert.fail(JSON.stringify(result.errors));
  assert.equal(result.ins.traits.birthPlace, '2A004');
  assert.ok(buildIns(withKey('1900397209123'), { ...traits, sex: 'M', birthDate: '1990-03-05', birthPlace: '97209' }).ok);
});

test('a birth date after today is refused when the caller gives today', () => {
  const baby = withKey('2250549007012');
  const traits: InsTraits = { birthName: 'DURAND', firstNames: 'Jade', sex: 'F', birthDate: '2025-05-03', birthPlace: '49007' };
  assert.ok(buildIns(baby, traits, { today: '2025-06-01' }).ok);
  assert.deepEqual(errorCodes(baby, traits, '2025-05-02'), ['birth-date']);
});

test('isIsoDate accepts real dates only', () => {
  assert.equal(isIsoDate('2024-02-29'), true);
  assert.equal(isIsoDate('2023-02-29'), false);
  assert.equal(isIsoDate('2023-13-01'), false);
  assert.equal(isIsoDate('2023-1-01'), false);
});
