/**
 * INS (identifiant national de santé): the identity under which health data is filed.
 * It is the person's own matricule (their NIR, or a NIA while they wait for one) with the OID
 * saying which kind it is, plus five identity traits. A child on a parent's Vitale card has
 * their own INS: the card holder's number is never used here.
 */
import { parseNir, type Nir } from './nir';

/** OIDs of the INS matricule, as published by the ANS (référentiel INS). */
export const INS_OID = {
  NIR: '1.2.250.1.213.1.4.8',
  NIA: '1.2.250.1.213.1.4.9',
  TEST_NIR: '1.2.250.1.213.1.4.10',
  TEST_NIA: '1.2.250.1.213.1.4.11',
} as const;

export type InsOid = (typeof INS_OID)[keyof typeof INS_OID];

export interface InsTraits {
  birthName: string;
  /** The first names as on the civil status record, separated by spaces. */
  firstNames: string;
  sex: 'M' | 'F';
  /** yyyy-mm-dd */
  birthDate: string;
  /** INSEE code: commune (49007, 2A004, 97209) or 99 + country code when born abroad. */
  birthPlace: string;
}

export interface Ins {
  /** The 15 characters of the NIR or NIA. */
  readonly matricule: string;
  readonly oid: InsOid;
  readonly kind: 'NIR' | 'NIA';
  readonly traits: Readonly<InsTraits>;
}

export type InsField = 'matricule' | keyof InsTraits;

export type InsErrorCode =
  | 'matricule'
  | 'matricule-kind'
  | 'birth-name'
  | 'first-names'
  | 'sex'
  | 'birth-date'
  | 'birth-place'
  | 'sex-mismatch'
  | 'year-mismatch'
  | 'month-mismatch';

export interface InsError {
  readonly code: InsErrorCode;
  /** The input the error is about, so that a form or a file loader can point at it. */
  readonly field: InsField;
  readonly message: string;
}

export type InsResult = { ok: true; ins: Ins } | { ok: false; errors: InsError[] };

export interface BuildInsOptions {
  /** Test identities (test platforms, demo data marked as such) use their own OIDs. */
  test?: boolean;
  /** Today as yyyy-mm-dd, to refuse birth dates in the future; the caller owns the clock. */
  today?: string;
}

/** Letters of any language, with the separators found in French names. */
const NAME = /^\p{L}[\p{L}\p{M}' ’-]*$/u;
const BIRTH_PLACE = /^(?:\d{5}|2[AB]\d{3})$/;
const OLDEST_BIRTH_YEAR = 1850;

export function buildIns(matricule: string, traits: InsTraits, options: BuildInsOptions = {}): InsResult {
  const errors: InsError[] = [];
  const clean = normalizeTraits(traits);
  const nir = checkMatricule(matricule, errors);
  checkTraits(clean, options, errors);
  // Cross-checks only make sense when both sides are readable on their own.
  if (nir && errors.length === 0) checkConsistency(nir, clean, errors);
  if (errors.length > 0 || !nir) return { ok: false, errors };

  const kind = nir.kind === 'NIA' ? 'NIA' : 'NIR';
  return {
    ok: true,
    ins: { matricule: nir.value, oid: oidFor(kind, options.test === true), kind, traits: clean },
  };
}

/** Canonical record key: one record per INS, whatever the spacing or case of the input was. */
export function insKey(ins: Pick<Ins, 'oid' | 'matricule'>): string {
  return `${ins.oid}^${ins.matricule}`;
}

function oidFor(kind: 'NIR' | 'NIA', test: boolean): InsOid {
  if (kind === 'NIR') return test ? INS_OID.TEST_NIR : INS_OID.NIR;
  return test ? INS_OID.TEST_NIA : INS_OID.NIA;
}

function normalizeTraits(traits: InsTraits): InsTraits {
  const squeeze = (s: string) => s.trim().replace(/\s+/g, ' ');
  return {
    birthName: squeeze(traits.birthName),
    firstNames: squeeze(traits.firstNames),
    sex: traits.sex,
    birthDate: traits.birthDate.trim(),
    birthPlace: traits.birthPlace.trim().toUpperCase(),
  };
}

function checkMatricule(matricule: string, errors: InsError[]): Nir | null {
  const parsed = parseNir(matricule);
  if (!parsed.ok) {
    errors.push({ code: 'matricule', field: 'matricule', message: parsed.error.message });
    return null;
  }
  // A provisional number is the insurance fund's, not the person's: it can't identify
  // health data for life.
  if (parsed.nir.kind === 'PROVISIONAL') {
    errors.push({
      code: 'matricule-kind',
      field: 'matricule',
      message:
        'Ce numéro est un numéro provisoire (il commence par 3 ou 4) : il ne peut pas servir d’identifiant national de santé.',
    });
    return null;
  }
  return parsed.nir;
}

function checkTraits(traits: InsTraits, options: BuildInsOptions, errors: InsError[]): void {
  if (!isPersonName(traits.birthName)) {
    errors.push({
      code: 'birth-name',
      field: 'birthName',
      message: 'Le nom de naissance est obligatoire et ne doit contenir que des lettres, espaces, tirets ou apostrophes.',
    });
  }
  if (!traits.firstNames.split(' ').every(isPersonName)) {
    errors.push({
      code: 'first-names',
      field: 'firstNames',
      message: 'Le ou les prénoms sont obligatoires et ne doivent contenir que des lettres, espaces, tirets ou apostrophes.',
    });
  }
  if (traits.sex !== 'M' && traits.sex !== 'F') {
    errors.push({ code: 'sex', field: 'sex', message: 'Le sexe doit être M (masculin) ou F (féminin).' });
  }
  const dateProblem = birthDateProblem(traits.birthDate, options.today);
  if (dateProblem) errors.push({ code: 'birth-date', field: 'birthDate', message: dateProblem });
  if (!BIRTH_PLACE.test(traits.birthPlace)) {
    errors.push({
      code: 'birth-place',
      field: 'birthPlace',
      message:
        'Le lieu de naissance doit être un code INSEE à 5 caractères (par exemple 49007, 2A004, ou 99 suivi du code du pays pour une naissance à l’étranger).',
    });
  }
}

/** A birth name, first name or used name: letters with the separators of French names. */
export function isPersonName(s: string): boolean {
  return s.length > 0 && s.length <= 100 && NAME.test(s);
}

export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Date.UTC rolls 2023-02-30 over to March: comparing back catches impossible days.
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function birthDateProblem(birthDate: string, today: string | undefined): string | null {
  if (!isIsoDate(birthDate)) {
    return 'La date de naissance doit être une date réelle au format AAAA-MM-JJ (par exemple 1985-05-14).';
  }
  if (Number(birthDate.slice(0, 4)) < OLDEST_BIRTH_YEAR) {
    return `La date de naissance ne peut pas être antérieure à ${OLDEST_BIRTH_YEAR}.`;
  }
  // ISO dates compare correctly as strings.
  if (today !== undefined && birthDate > today) {
    return 'La date de naissance ne peut pas être dans le futur.';
  }
  return null;
}

function checkConsistency(nir: Nir, traits: InsTraits, errors: InsError[]): void {
  if (nir.sex !== traits.sex) {
    const digit = nir.value.charAt(0);
    const said = nir.sex === 'M' ? 'un homme' : 'une femme';
    errors.push({
      code: 'sex-mismatch',
      field: 'sex',
      message: `Le sexe indiqué ne correspond pas au numéro de sécurité sociale, dont le premier chiffre (${digit}) désigne ${said}.`,
    });
  }
  if (traits.birthDate.slice(2, 4) !== nir.birthYear2) {
    errors.push({
      code: 'year-mismatch',
      field: 'birthDate',
      message: `L’année de naissance ne correspond pas au numéro de sécurité sociale (2e et 3e chiffres : ${nir.birthYear2}).`,
    });
  }
  // When INSEE did not know the month, the NIR says nothing about it: nothing to compare.
  if (nir.birthMonth !== null && Number(traits.birthDate.slice(5, 7)) !== nir.birthMonth) {
    errors.push({
      code: 'month-mismatch',
      field: 'birthDate',
      message: `Le mois de naissance ne correspond pas au numéro de sécurité sociale (4e et 5e chiffres : ${nir.value.slice(3, 5)}).`,
    });
  }
}
