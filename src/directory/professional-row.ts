/**
 * One line of the health professionals file: who they are (RPPS), what they do (profession and
 * specialty, coded as in JDV_J01) and where (workplace). Pure, like insured-row.ts.
 */
import { isPersonName } from '../identity';
import { parseRpps } from '../identity';
import { columnMessage, fieldReader, normalizeEmail, optionalField, squeeze, type RowResult } from './fields';
import { DOCTOR, findSpecialty, PROFESSIONS } from './professions';

export const PROFESSIONAL_COLUMNS = [
  'rpps',
  'last_name',
  'first_name',
  'profession_code',
  'specialty_code',
  'role',
  'workplace_name',
  'workplace_finess',
  'email',
] as const;

const REQUIRED: readonly string[] = ['rpps', 'last_name', 'first_name', 'profession_code', 'workplace_name'];

/** Roles that change access rules beyond profession and specialty. */
export type ProfessionalRole = 'samu_regulator';

export interface HealthProfessional {
  readonly rpps: string;
  readonly lastName: string;
  readonly firstName: string;
  /** JDV_J01 profession, e.g. G15_10 (médecin). */
  readonly professionCode: string;
  /** Specialty within the profession, e.g. SM54 (médecine générale); see professions.ts. */
  readonly specialtyCode: string | null;
  readonly role: ProfessionalRole | null;
  readonly workplace: { readonly name: string; readonly finess: string | null };
  readonly email: string | null;
}

/** FINESS: 9 characters, the first two the department (2A/2B in Corsica). */
const FINESS = /^(?:\d{2}|2A|2B)\d{7}$/;

export function parseProfessionalRow(row: Record<string, string>): RowResult<HealthProfessional> {
  const get = fieldReader(row);
  const errors: string[] = [];
  const missing = new Set(REQUIRED.filter((column) => get(column) === ''));
  const report = (column: string, message: string) => {
    if (!missing.has(column)) errors.push(columnMessage(column, message));
  };
  for (const column of missing) errors.push(columnMessage(column, 'valeur obligatoire manquante.'));

  const rpps = parseRpps(get('rpps'));
  if (!rpps.ok) report('rpps', rpps.error.message);

  const lastName = squeeze(get('last_name'));
  const firstName = squeeze(get('first_name'));
  const badName = 'ne doit contenir que des lettres, espaces, tirets ou apostrophes.';
  if (!isPersonName(lastName)) report('last_name', `le nom ${badName}`);
  if (!isPersonName(firstName)) report('first_name', `le prénom ${badName}`);

  const professionCode = get('profession_code');
  const profession = PROFESSIONS[professionCode];
  if (!profession) {
    report('profession_code', `le code de profession « ${professionCode} » n’existe pas (attendu : un code G15 du jeu de valeurs JDV_J01, par exemple G15_10 pour médecin).`);
  }

  const specialtyCode = get('specialty_code');
  if (specialtyCode !== '' && profession && !findSpecialty(professionCode, specialtyCode)) {
    report('specialty_code', `la spécialité « ${specialtyCode} » n’est pas reconnue pour la profession ${profession}.`);
  }

  const role = get('role');
  if (role !== '' && role !== 'samu_regulator') {
    report('role', `le rôle « ${role} » n’existe pas (seul « samu_regulator » est prévu).`);
  } else if (role === 'samu_regulator' && profession && professionCode !== DOCTOR) {
    // The médecin régulateur of a SAMU is by definition a doctor.
    report('role', 'le rôle « samu_regulator » (médecin régulateur du SAMU) est réservé aux médecins (G15_10).');
  }

  const workplaceName = squeeze(get('workplace_name'));
  const finess = optionalField(
    get('workplace_finess').toUpperCase(),
    (s) => (FINESS.test(s) ? s : null),
    () => report('workplace_finess', 'le numéro FINESS doit comporter 9 caractères (2 pour le département, puis 7 chiffres).'),
  );
  const email = optionalField(get('email'), normalizeEmail, () =>
    report('email', 'l’adresse e-mail n’est pas valide.'),
  );

  if (errors.length > 0 || !rpps.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      rpps: rpps.rpps,
      lastName,
      firstName,
      professionCode,
      specialtyCode: specialtyCode === '' ? null : specialtyCode,
      role: role === 'samu_regulator' ? role : null,
      workplace: { name: workplaceName, finess },
      email,
    },
  };
}
