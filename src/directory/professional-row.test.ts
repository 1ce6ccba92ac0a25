import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProfessionalRow } from './professional-row';

const claire: Record<string, string> = {
  rpps: '10001234565',
  last_name: 'MARTIN',
  first_name: 'Claire',
  profession_code: 'G15_10',
  specialty_code: 'SM54',
  role: '',
  workplace_name: 'Cabinet médical du Mail',
  workplace_finess: '',
  email: 'Claire.Martin@example.org',
};

function errorsOf(change: Record<string, string>): string[] {
  const result = parseProfessionalRow({ ...claire, ...change });
  assert.equal(result.ok, false, JSON.stringify(change));
  return result.ok ? [] : result.errors;
}

test('a good row', () => {
  const result = parseProfessionalRow(claire);
  if (!result.ok) assert.fail(result.errors.join('\n'));
  assert.deepEqual(result.value, {
    rpps: '10001234565',
    lastName: 'MARTIN',
    firstName: 'Claire',
    professionCode: 'G15_10',
    specialtyCode: 'SM54',
    role: null,
    workplace: { name: 'Cabinet médical du Mail', finess: null },
    email: 'claire.martin@example.org',
  });
});

test('a SAMU regulator, a pharmacist with a FINESS, a nurse without specialty', () => {
  const regulator = parseProfessionalRow({ ...claire, specialty_code: 'SM59', role: 'samu_regulator', workplace_finess: '490000155' });
  assert.equal(regulator.ok && regulator.value.role, 'samu_regulator');
  assert.equal(regulator.ok && regulator.value.workplace.finess, '490000155');
  const pharmacist = parseProfessionalRow({ ...claire, profession_code: 'G15_21', specialty_code: 'A', workplace_finess: '2a0001234' });
  assert.equal(pharmacist.ok && pharmacist.value.workplace.finess, '2A0001234');
  const nurse = parseProfessionalRow({ ...claire, profession_code: 'G15_60', specialty_code: '', email: '' });
  assert.equal(nurse.ok && nurse.value.specialtyCode, null);
  assert.equal(nurse.ok && nurse.value.email, null);
});

test('each bad field is reported with its column', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ rpps: '10001234568' }, 'Colonne « rpps » : le numéro RPPS n’est pas valide : le dernier chiffre (clé de contrôle) ne correspond pas. Vérifiez les chiffres saisis.'],
    [{ rpps: '1000123456' }, 'Colonne « rpps » : le numéro RPPS doit comporter 11 chiffres (vous en avez saisi 10).'],
    [{ last_name: 'MARTIN1' }, 'Colonne « last_name » : le nom ne doit contenir que des lettres, espaces, tirets ou apostrophes.'],
    [{ first_name: '<Claire>' }, 'Colonne « first_name » : le prénom ne doit contenir que des lettres, espaces, tirets ou apostrophes.'],
    [{ profession_code: 'G15_99' }, 'Colonne « profession_code » : le code de profession « G15_99 » n’existe pas (attendu : un code G15 du jeu de valeurs JDV_J01, par exemple G15_10 pour médecin).'],
    [{ specialty_code: 'SM99' }, 'Colonne « specialty_code » : la spécialité « SM99 » n’est pas reconnue pour la profession Médecin.'],
    [{ profession_code: 'G15_60', specialty_code: 'SM54' }, 'Colonne « specialty_code » : la spécialité « SM54 » n’est pas reconnue pour la profession Infirmier.'],
    [{ role: 'admin' }, 'Colonne « role » : le rôle « admin » n’existe pas (seul « samu_regulator » est prévu).'],
    [{ profession_code: 'G15_60', specialty_code: '', role: 'samu_regulator' }, 'Colonne « role » : le rôle « samu_regulator » (médecin régulateur du SAMU) est réservé aux médecins (G15_10).'],
    [{ workplace_finess: '49000015' }, 'Colonne « workplace_finess » : le numéro FINESS doit comporter 9 caractères (2 pour le département, puis 7 chiffres).'],
    [{ email: 'claire@martin' }, 'Colonne « email » : l’adresse e-mail n’est pas valide.'],
  ];
  for (const [change, message] of cases) assert.deepEqual(errorsOf(change), [message]);
});

test('required columns', () => {
  for (const column of ['rpps', 'last_name', 'first_name', 'profession_code', 'workplace_name']) {
    assert.deepEqual(errorsOf({ [column]: '' }), [`Colonne « ${column} » : valeur obligatoire manquante.`], column);
  }
});
