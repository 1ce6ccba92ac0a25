import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeNirKey, formatNir, parseNir, type NirErrorCode } from './nir';

/** Appends the key the way the rule says, to build valid numbers in tests. */
function withKey(first13: string): string {
  return first13 + String(computeNirKey(first13)).padStart(2, '0');
}

function expectError(input: string, code: NirErrorCode): string {
  const result = parseNir(input);
  assert.equal(result.ok, false, `${input} should be rejected (${code})`);
  if (result.ok) throw new Error('unreachable');
  assert.equal(result.error.code, code, `${input}: ${result.error.message}`);
  return result.error.message;
}

function expectValid(input: string) {
  const result = parseNir(input);
  if (!result.ok) assert.fail(`${input} should be valid: ${result.error.message}`);
  return result.nir;
}

test('the key is 97 minus the 13-digit number modulo 97', () => {
  assert.equal(computeNirKey('1850549588157'), 25);
  assert.equal(computeNirKey('2690299004123'), Number(97n - (2690299004123n % 97n)));
  // A number that is a multiple of 97 gets key 97, never 0.
  assert.equal(computeNirKey('1000000000001'.slice(0, 13)), Number(97n - (1000000000001n % 97n)));
  const multiple = (1000000000000n / 97n + 1n) * 97n; // 13 digits, divisible by 97
  assert.equal(computeNirKey(multiple.toString()), 97);
});

test('the seed example 185054958815780 has a wrong key: its valid form ends in 25', () => {
  const message = expectError('185054958815780', 'key');
  assert.equal(
    message,
    'La clé du numéro de sécurité sociale ne correspond pas : vérifiez les chiffres saisis.',
  );
  const nir = expectValid('185054958815725');
  assert.deepEqual(nir, {
    value: '185054958815725',
    kind: 'NIR',
    sex: 'M',
    birthYear2: '85',
    birthMonth: 5,
    department: '49',
    commune: '588',
    order: '157',
    key: '25',
  });
});

test('Corsica: 2A counts as 19 and 2B as 18 in the key', () => {
  const ajaccio = '269022A004123';
  const ajaccioKey = Number(97n - (2690219004123n % 97n));
  assert.equal(computeNirKey(ajaccio), ajaccioKey);
  const nirA = expectValid(ajaccio + String(ajaccioKey).padStart(2, '0'));
  assert.equal(nirA.department, '2A');
  assert.equal(nirA.commune, '004');
  assert.equal(nirA.sex, 'F');

  const bastia = '165052B033012';
  const bastiaKey = Number(97n - (1650518033012n % 97n));
  assert.equal(computeNirKey(bastia), bastiaKey);
  const nirB = expectValid(bastia + String(bastiaKey).padStart(2, '0'));
  assert.equal(nirB.department, '2B');

  // The same digits with 2A instead of 2B must not share a key.
  assert.notEqual(computeNirKey('165052A033012'), bastiaKey);
  expectError('165052A033012' + String(bastiaKey).padStart(2, '0'), 'key');
});

test('lowercase 2a/2b and spaces are accepted and normalized', () => {
  const value = withKey('269022A004123');
  const spaced = `${value.slice(0, 1)} ${value.slice(1, 3)} ${value.slice(3, 5)} ${value
    .slice(5, 7)
    .toLowerCase()} ${value.slice(7, 10)} ${value.slice(10, 13)} ${value.slice(13)}`;
  assert.equal(expectValid(spaced).value, value);
  assert.equal(expectValid(`  ${value.toLowerCase()}\u00a0`).value, value);
  assert.equal(expectValid('1 85 05 49 588 157 25').value, '185054958815725');
});

test('kinds: 1/2 NIR, 3/4 provisional, 7/8 NIA, with the sex', () => {
  const cases: Array<[string, string, string]> = [
    ['1', 'NIR', 'M'],
    ['2', 'NIR', 'F'],
    ['3', 'PROVISIONAL', 'M'],
    ['4', 'PROVISIONAL', 'F'],
    ['7', 'NIA', 'M'],
    ['8', 'NIA', 'F'],
  ];
  for (const [digit, kind, sex] of cases) {
    const nir = expectValid(withKey(`${digit}850599350045`));
    assert.equal(nir.kind, kind);
    assert.equal(nir.sex, sex);
  }
});

test('unknown birth month: 20–42 and 50–99 are accepted with birthMonth null', () => {
  for (const month of ['20', '30', '42', '50', '63', '99']) {
    const nir = expectValid(withKey(`178${month}99350045`));
    assert.equal(nir.birthMonth, null, month);
  }
  for (const month of ['01', '07', '12']) {
    assert.equal(expectValid(withKey(`178${month}49007045`)).birthMonth, Number(month));
  }
});

test('invalid months are refused with a message naming the month', () => {
  for (const month of ['00', '13', '19', '43', '49']) {
    const message = expectError(withKey(`178${month}49007045`), 'month');
    assert.equal(
      message,
      `Les 4e et 5e chiffres du numéro de sécurité sociale indiquent le mois de naissance, de 01 à 12 : « ${month} » n’est pas possible.`,
    );
  }
});

test('overseas: 97x/98x take 3 characters and the commune 2', () => {
  const fortDeFrance = expectValid(withKey('1900397209123'));
  assert.equal(fortDeFrance.department, '972');
  assert.equal(fortDeFrance.commune, '09');
  assert.equal(fortDeFrance.order, '123');
  assert.equal(formatNir(fortDeFrance), `1 90 03 972 09 123 ${fortDeFrance.key}`);
  for (const dep of ['971', '973', '974', '975', '976', '977', '978', '984', '986', '987', '988']) {
    assert.equal(expectValid(withKey(`28506${dep}01042`)).department, dep);
  }
  for (const dep of ['970', '979', '980', '983', '989']) {
    expectError(withKey(`28506${dep}01042`), 'department');
  }
  const message = expectError(withKey('2850697100042'), 'commune');
  assert.equal(
    message,
    'Le code de la commune de naissance « 00 » dans le numéro de sécurité sociale n’est pas possible.',
  );
});

test('departments: 01–96 and 99 exist, 00 and 97/98 without a valid third digit do not', () => {
  for (const dep of ['01', '19', '20', '21', '75', '95', '96', '99']) {
    assert.equal(expectValid(withKey(`18505${dep}001042`)).department, dep);
  }
  const message = expectError(withKey('1850500001042'), 'department');
  assert.equal(
    message,
    'Le département de naissance « 00 » (à partir du 6e caractère du numéro de sécurité sociale) n’existe pas.',
  );
});

test('born abroad: department 99 and the country code as commune', () => {
  const nir = expectValid(withKey('2790299350045'));
  assert.equal(nir.department, '99');
  assert.equal(nir.commune, '350');
  const message = expectError(withKey('2790299000045'), 'commune');
  assert.equal(
    message,
    'Le code du pays de naissance « 000 » dans le numéro de sécurité sociale n’est pas possible.',
  );
});

test('each fault has its own clear message', () => {
  assert.equal(
    expectError('18505495881578', 'length'),
    'Le numéro de sécurité sociale doit comporter 15 caractères (vous en avez saisi 14).',
  );
  assert.equal(
    expectError('1850549588157801', 'length'),
    'Le numéro de sécurité sociale doit comporter 15 caractères (vous en avez saisi 16).',
  );
  assert.equal(
    expectError('   ', 'length'),
    'Le numéro de sécurité sociale doit comporter 15 caractères (vous n’en avez saisi aucun).',
  );
  assert.equal(
    expectError('1850549588X5780', 'characters'),
    'Le numéro de sécurité sociale ne doit contenir que des chiffres, sauf 2A ou 2B pour une naissance en Corse. Le caractère « X » en position 11 n’est pas accepté.',
  );
  // A or B only right after a 2 in the department.
  expectError('185053A88815780', 'characters');
  expectError('1850524A8815780', 'characters');
  expectError('1-85-05-49-588-', 'characters');
  assert.equal(
    expectError(withKey('5850549588157'), 'sex'),
    'Le premier chiffre du numéro de sécurité sociale doit être 1 (homme) ou 2 (femme) : « 5 » n’est pas possible.',
  );
  for (const digit of ['0', '5', '6', '9']) expectError(withKey(`${digit}850549588157`), 'sex');
  assert.equal(
    expectError(withKey('1850549000157'), 'commune'),
    'Le code de la commune de naissance « 000 » dans le numéro de sécurité sociale n’est pas possible.',
  );
  assert.equal(
    expectError(withKey('1850549588000'), 'order'),
    'Les 11e, 12e et 13e chiffres du numéro de sécurité sociale ne peuvent pas être « 000 ».',
  );
  // 00, 98 and 99 can never be a key (keys go from 01 to 97).
  for (const key of ['00', '98', '99']) expectError(`1850549588157${key}`, 'key');
});

test('formatNir groups the number as on the Vitale card', () => {
  assert.equal(formatNir('185054958815725'), '1 85 05 49 588 157 25');
  const corsican = withKey('269022A004123');
  assert.equal(formatNir(corsican.toLowerCase()), `2 69 02 2A 004 123 ${corsican.slice(13)}`);
  // Not a valid NIR: shown normalized but not grouped.
  assert.equal(formatNir('1 85 05 49 588 157 80'), '185054958815780');
});

test('computeNirKey refuses anything that is not 13 characters of a NIR', () => {
  assert.throws(() => computeNirKey('123'), RangeError);
  assert.throws(() => computeNirKey('18505495881X7'), RangeError);
});

/** Small deterministic generator so that a failure can be replayed. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomFirst13(next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const digits = (n: number, min: number, max: number) =>
    String(min + Math.floor(next() * (max - min + 1))).padStart(n, '0');
  const sex = pick(['1', '2', '3', '4', '7', '8']);
  const year = digits(2, 0, 99);
  const month = pick([digits(2, 1, 12), digits(2, 20, 42), digits(2, 50, 99)]);
  const place = pick([
    () => `${digits(2, 1, 19)}${digits(3, 1, 999)}`,
    () => `${digits(2, 21, 95)}${digits(3, 1, 999)}`,
    () => `${pick(['2A', '2B'])}${digits(3, 1, 999)}`,
    () => `97${digits(1, 1, 6)}${digits(2, 1, 99)}`,
    () => `99${digits(3, 100, 999)}`,
  ])();
  return `${sex}${year}${month}${place}${digits(3, 1, 999)}`;
}

test('property: generated numbers round-trip, and any single changed character is detected', () => {
  const next = lcg(20240515);
  const alphabet = '0123456789AB';
  for (let n = 0; n < 2000; n++) {
    const first13 = randomFirst13(next);
    const value = withKey(first13);
    const nir = expectValid(value);
    assert.equal(nir.value, value);
    assert.equal(formatNir(nir).replace(/ /g, ''), value);
    assert.equal(Number(nir.key), computeNirKey(first13));

    // Every position, every other character: the number must never stay valid.
    for (let i = 0; i < value.length; i++) {
      for (const c of alphabet) {
        if (c === value.charAt(i)) continue;
        const changed = value.slice(0, i) + c + value.slice(i + 1);
        assert.equal(parseNir(changed).ok, false, `${value} → ${changed} was accepted`);
      }
    }
  }
});

test('property: swapping two adjacent different digits of the number is detected', () => {
  const next = lcg(7);
  for (let n = 0; n < 500; n++) {
    const value = withKey(randomFirst13(next));
    for (let i = 0; i < 14; i++) {
      const a = value.charAt(i);
      const b = value.charAt(i + 1);
      if (a === b || !/\d/.test(a) || !/\d/.test(b)) continue;
      const swapped = value.slice(0, i) + b + a + value.slice(i + 2);
      assert.equal(parseNir(swapped).ok, false, `${value} → ${swapped} was accepted`);
    }
  }
});
