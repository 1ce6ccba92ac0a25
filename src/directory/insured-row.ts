/**
 * One line of the insured-persons directory file (reference data from the Assurance Maladie):
 * identity (INS), Vitale card, known contact details and declared médecin traitant.
 * Pure: the loader splits the file (csv.ts) and stores what this returns; every error names its
 * column so that whoever fixes the file knows where to look.
 */
import { buildIns, isPersonName, type Ins, type InsField } from '../identity';
import { parseNir } from '../identity';
import { parseRpps } from '../identity';
import {
  columnMessage,
  fieldReader,
  normalizeEmail,
  normalizeFrenchMobile,
  optionalField,
  squeeze,
  type RowResult,
} from './fields';

export const INSURED_COLUMNS = [
  'nir',
  'birth_name',
  'first_names',
  'used_name',
  'sex',
  'birth_date',
  'birth_place',
  'card_holder_nir',
  'vitale_serial',
  'vitale_type',
  'email',
  'mobile',
  'address_line',
  'postal_code',
  'city',
  'treating_doctor_rpps',
] as const;

const REQUIRED: readonly string[] = [
  'nir',
  'birth_name',
  'first_names',
  'sex',
  'birth_date',
  'birth_place',
  'card_holder_nir',
  'vitale_serial',
  'vitale_type',
  'address_line',
  'postal_code',
  'city',
];

export type VitaleType = 'photo' | 'sans_photo';

export interface InsuredPerson {
  /** The person's own identity: a child on a parent's card has their own. */
  readonly ins: Ins;
  /** Nom d'usage (e.g. a spouse's name), shown in addition to the birth name. */
  readonly usedName: string | null;
  /** NIR printed on the Vitale card used: the person's own, or a parent's for a child. */
  readonly cardHolderNir: string;
  readonly vitaleSerial: string;
  readonly vitaleType: VitaleType;
  /** Known email; null means creation codes go by postal letter. */
  readonly email: string | null;
  /** International form, +336… or +337…. */
  readonly mobile: string | null;
  readonly address: { readonly line: string; readonly postalCode: string; readonly city: string };
  readonly treatingDoctorRpps: string | null;
}

export interface InsuredRowOptions {
  /** Demo and test files may use the test INS OIDs. */
  test?: boolean;
  /** yyyy-mm-dd, to refuse birth dates in the future. */
  today?: string;
}

const COLUMN_OF_INS_FIELD: Record<InsField, string> = {
  matricule: 'nir',
  birthName: 'birth_name',
  firstNames: 'first_names',
  sex: 'sex',
  birthDate: 'birth_date',
  birthPlace: 'birth_place',
};

export function parseInsuredRow(
  row: Record<string, string>,
  options: InsuredRowOptions = {},
): RowResult<InsuredPerson> {
  const get = fieldReader(row);
  const errors: string[] = [];
  const missing = new Set(REQUIRED.filter((column) => get(column) === ''));
  // An empty column is reported once; its format messages would only repeat it.
  const report = (column: string, message: string) => {
    if (!missing.has(column)) errors.push(columnMessage(column, message));
  };
  for (const column of missing) errors.push(columnMessage(column, 'valeur obligatoire manquante.'));

  const ins = buildIns(
    get('nir'),
    {
      birthName: get('birth_name'),
      firstNames: get('first_names'),
      sex: get('sex').toUpperCase() as 'M' | 'F', // buildIns refuses anything else
      birthDate: get('birth_date'),
      birthPlace: get('birth_place'),
    },
    options,
  );
  if (!ins.ok) for (const e of ins.errors) report(COLUMN_OF_INS_FIELD[e.field], e.message);

  const usedName = squeeze(get('used_name'));
  if (usedName !== '' && !isPersonName(usedName)) {
    report('used_name', 'le nom d’usage ne doit contenir que des lettres, espaces, tirets ou apostrophes.');
  }

  const holder = parseNir(get('card_holder_nir'));
  if (!holder.ok) report('card_holder_nir', holder.error.message);

  const vitaleSerial = get('vitale_serial');
  if (!/^\d{10,16}$/.test(vitaleSerial)) {
    report('vitale_serial', 'le numéro de série de la carte Vitale doit comporter de 10 à 16 chiffres.');
  }
  const vitaleType = asVitaleType(get('vitale_type'));
  if (vitaleType === null) {
    report('vitale_type', 'le type de carte Vitale doit être « photo » ou « sans_photo ».');
  }

  const email = optionalField(get('email'), normalizeEmail, () =>
    report('email', 'l’adresse e-mail n’est pas valide.'),
  );
  const mobile = optionalField(get('mobile'), normalizeFrenchMobile, () =>
    report('mobile', 'le numéro de mobile doit être un numéro français commençant par 06 ou 07 (ou +33 6, +33 7).'),
  );

  const postalCode = get('postal_code');
  if (!/^\d{5}$/.test(postalCode)) report('postal_code', 'le code postal doit comporter 5 chiffres.');

  const doctor = optionalField(get('treating_doctor_rpps'), validRpps, () =>
    report('treating_doctor_rpps', 'le numéro RPPS du médecin traitant n’est pas valide (11 chiffres dont une clé de contrôle).'),
  );

  if (errors.length > 0 || !ins.ok || !holder.ok || vitaleType === null) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ins: ins.ins,
      usedName: usedName === '' ? null : usedName,
      cardHolderNir: holder.nir.value,
      vitaleSerial,
      vitaleType,
      email,
      mobile,
      address: { line: squeeze(get('address_line')), postalCode, city: squeeze(get('city')) },
      treatingDoctorRpps: doctor,
    },
  };
}

function asVitaleType(s: string): VitaleType | null {
  return s === 'photo' || s === 'sans_photo' ? s : null;
}

function validRpps(s: string): string | null {
  const result = parseRpps(s);
  return result.ok ? result.rpps : null;
}
