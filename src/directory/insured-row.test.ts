import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInsuredRow } from './insured-row';

const good: Record<string, string> = {
  nir: '1 85 05 49 588 157 25',
  birth_name: 'DURAND',
  first_names: 'Nicolas Pierre',
  used_name: '',
  sex: 'M',
  birth_date: '1985-05-14',
  birth_place: '49588',
  card_holder_nir: '185054958815725',
  vitale_serial: '1242687940214477',
  vitale_type: 'photo',
  email: ' Nicolas.Durand@Example.com ',
  mobile: '06 39 98 00 01',
  address_line: '12  rue Saint-Laud',
  postal_code: '49100',
  city: 'Angers',
  treating_doctor_rpps: '10001234565',
};

function errorsOf(change: Record<string, string>): string[] {
  const result = parseInsuredRow({ ...good, ...change });
  assert.equal(result.ok, false, JSON.stringify(change));
  return result.ok ? [] : result.errors;
}

test('a good row gives the INS and the normalized card and contact details', () => {
  const result = parseInsuredRow(good);
  if (!result.ok) assert.fail(result.errors.join('\n'));
  const p = result.value;
  assert.equal(p.ins.matricule, '185054958815725');
  assert.equal(p.ins.oid, '1.2.250.1.213.1.4.8');
  assert.deepEqual(p.ins.traits, {
    birthName: 'DURAND',
    firstNames: 'Nicolas Pierre',
    sex: 'M',
    birthDate: '1985-05-14',
    birthPlace: '49588',
  });
  assert.equal(p.usedName, null);
  assert.equal(p.cardHolderNir, '185054958815725');
  assert.equal(p.vitaleSerial, '1242687940214477');
  assert.equal(p.vitaleType, 'photo');
  assert.equal(p.email, 'nicolas.durand@example.com');
  assert.equal(p.mobile, '+33639980001');
  assert.deepEqual(p.address, { line: '12 rue Saint-Laud', postalCode: '49100', city: 'Angers' });
  assert.equal(p.treatingDoctorRpps, '10001234565');
});

test('optional columns may be empty or absent', () => {
  const { email, mobile, used_name, treating_doctor_rpps, ...required } = good;
  void [email, mobile, used_name, treating_doctor_rpps];
  const result = parseInsuredRow(required);
  if (!result.ok) assert.fail(result.errors.join('\n'));
  assert.equal(result.value.email, null);
  assert.equal(result.value.mobile, null);
  assert.equal(result.value.treatingDoctorRpps, null);
});

test('a child on a parent’s card: own INS, the parent’s NIR as card holder', () => {
  const result = parseInsuredRow({
    ...good,
    nir: '115034900702335',
    first_names: 'Léo',
    birth_date: '2015-03-08',
    birth_place: '49007',
    email: '',
    mobile: '',
  });
  if (!result.ok) assert.fail(result.errors.join('\n'));
  assert.equal(result.value.ins.matricule, '115034900702335');
  assert.equal(result.value.cardHolderNir, '185054958815725');
});

test('the test option gives the test OID', () => {
  const result = parseInsuredRow(good, { test: true });
  assert.equal(result.ok && result.value.ins.oid, '1.2.250.1.213.1.4.10');
});

test('each bad field is reported with its column', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ nir: '185054958815780' }, 'Colonne « nir » : la clé du numéro de sécurité sociale ne correspond pas : vérifiez les chiffres saisis.'],
    [{ birth_name: 'DURAND 2' }, 'Colonne « birth_name » : le nom de naissance est obligatoire et ne doit contenir que des lettres, espaces, tirets ou apostrophes.'],
    [{ first_names: 'Nicolas;' }, 'Colonne « first_names » : le ou les prénoms sont obligatoires et ne doivent contenir que des lettres, espaces, tirets ou apostrophes.'],
    [{ used_name: 'MARTIN!' }, 'Colonne « used_name » : le nom d’usage ne doit contenir que des lettres, espaces, tirets ou apostrophes.'],
    [{ sex: 'H' }, 'Colonne « sex » : le sexe doit être M (masculin) ou F (féminin).'],
    [{ sex: 'F' }, 'Colonne « sex » : le sexe indiqué ne correspond pas au numéro de sécurité sociale, dont le premier chiffre (1) désigne un homme.'],
    [{ birth_date: '14/05/1985' }, 'Colonne « birth_date » : la date de naissance doit être une date réelle au format AAAA-MM-JJ (par exemple 1985-05-14).'],
    [{ birth_date: '1985-06-14' }, 'Colonne « birth_date » : le mois de naissance ne correspond pas au numéro de sécurité sociale (4e et 5e chiffres : 05).'],
    [{ birth_place: 'Angers' }, 'Colonne « birth_place » : le lieu de naissance doit être un code INSEE à 5 caractères (par exemple 49007, 2A004, ou 99 suivi du code du pays pour une naissance à l’étranger).'],
    [{ card_holder_nir: '18505495881572' }, 'Colonne « card_holder_nir » : le numéro de sécurité sociale doit comporter 15 caractères (vous en avez saisi 14).'],
    [{ vitale_serial: '12426879' }, 'Colonne « vitale_serial » : le numéro de série de la carte Vitale doit comporter de 10 à 16 chiffres.'],
    [{ vitale_serial: '12426879402144771' }, 'Colonne « vitale_serial » : le numéro de série de la carte Vitale doit comporter de 10 à 16 chiffres.'],
    [{ vitale_type: 'avec_photo' }, 'Colonne « vitale_type » : le type de carte Vitale doit être « photo » ou « sans_photo ».'],
    [{ email: 'nicolas.durand@' }, 'Colonne « email » : l’adresse e-mail n’est pas valide.'],
    [{ mobile: '02 41 00 00 00' }, 'Colonne « mobile » : le numéro de mobile doit être un numéro français commençant par 06 ou 07 (ou +33 6, +33 7).'],
    [{ postal_code: '4910' }, 'Colonne « postal_code » : le code postal doit comporter 5 chiffres.'],
    [{ treating_doctor_rpps: '10001234568' }, 'Colonne « treating_doctor_rpps » : le numéro RPPS du médecin traitant n’est pas valide (11 chiffres dont une clé de contrôle).'],
  ];
  for (const [change, message] of cases) assert.deepEqual(errorsOf(change), [message]);
});

test('required columns: one message each when empty, nothing repeated', () => {
  for (const column of ['nir', 'birth_name', 'first_names', 'sex', 'birth_date', 'birth_place', 'card_holder_nir', 'vitale_serial', 'vitale_type', 'address_line', 'postal_code', 'city']) {
    assert.deepEqual(errorsOf({ [column]: '  ' }), [`Colonne « ${column} » : valeur obligatoire manquante.`], column);
  }
});

test('several faults on one line are all reported', () => {
  const errors = errorsOf({ email: 'x', postal_code: 'abc', vitale_type: '' });
  assert.equal(errors.length, 3);
});
