/**
 * NIR (numéro d'inscription au répertoire, the French social security number) and NIA
 * (numéro d'identification d'attente, given to people waiting for a NIR).
 *
 * Layout of the 15 characters:
 *   sex(1) year(2) month(2) department(2) commune(3) order(3) key(2)
 * except for births overseas (department 97x or 98x), where the department takes 3 characters
 * and the commune only 2, so that the total stays 15.
 *
 * Pure functions: no I/O, so that every rule can be tested exhaustively.
 */

export type NirKind = 'NIR' | 'NIA' | 'PROVISIONAL';

export interface Nir {
  /** The 15 characters, without spaces, with 2A/2B in uppercase. */
  readonly value: string;
  readonly kind: NirKind;
  readonly sex: 'M' | 'F';
  /** Last two digits of the birth year, as written ("05" for 1905 or 2005). */
  readonly birthYear2: string;
  /** 1–12, or null when the number says the birth month is unknown. */
  readonly birthMonth: number | null;
  /** "49", "2A", "972" (overseas, 3 characters) or "99" (born abroad). */
  readonly department: string;
  /** Commune code within the department (3 digits, 2 overseas) or country code when abroad. */
  readonly commune: string;
  readonly order: string;
  readonly key: string;
}

export type NirErrorCode =
  | 'length'
  | 'characters'
  | 'sex'
  | 'month'
  | 'department'
  | 'commune'
  | 'order'
  | 'key';

export interface NirError {
  readonly code: NirErrorCode;
  /** Shown as is to the person who typed the number. */
  readonly message: string;
}

export type NirParseResult = { ok: true; nir: Nir } | { ok: false; error: NirError };

const NIR_LENGTH = 15;

/** First digit → kind and sex. 3/4 are numbers given provisionally by an insurance fund. */
const SEX_DIGITS: Record<string, { kind: NirKind; sex: 'M' | 'F' }> = {
  '1': { kind: 'NIR', sex: 'M' },
  '2': { kind: 'NIR', sex: 'F' },
  '3': { kind: 'PROVISIONAL', sex: 'M' },
  '4': { kind: 'PROVISIONAL', sex: 'F' },
  '7': { kind: 'NIA', sex: 'M' },
  '8': { kind: 'NIA', sex: 'F' },
};

/**
 * Digits only, except 2A/2B in the department position. Checked before anything else so that
 * the other rules can read the fields as numbers.
 */
const SHAPE = /^\d{5}(?:\d{2}|2A|2B)\d{8}$/;

/**
 * Remove what people naturally type between groups (spaces, including the non-breaking ones
 * that copy-pasting from a PDF brings) and accept 2a/2b in lowercase.
 */
export function normalizeNirInput(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

export function parseNir(input: string): NirParseResult {
  const value = normalizeNirInput(input);

  const lengthError = checkLength(value);
  if (lengthError) return fail(lengthError);
  if (!SHAPE.test(value)) return fail(charactersError(value));

  const sexInfo = SEX_DIGITS[value.charAt(0)];
  if (!sexInfo) return fail(sexError(value.charAt(0)));

  const monthText = value.slice(3, 5);
  const month = readMonth(monthText);
  if (month === 'invalid') return fail(monthError(monthText));

  const { department, commune } = splitPlace(value);
  if (!isKnownDepartment(department)) return fail(departmentError(department));
  if (/^0+$/.test(commune)) return fail(communeError(department, commune));

  const order = value.slice(10, 13);
  if (order === '000') return fail(orderError());

  const key = value.slice(13, 15);
  if (Number(key) !== computeNirKey(value.slice(0, 13))) return fail(keyError());

  return {
    ok: true,
    nir: {
      value,
      kind: sexInfo.kind,
      sex: sexInfo.sex,
      birthYear2: value.slice(1, 3),
      birthMonth: month,
      department,
      commune,
      order,
      key,
    },
  };
}

/**
 * Control key of the first 13 characters: 97 − (number mod 97), between 1 and 97.
 * Corsica's 2A and 2B are not numbers: the rule replaces them by 19 and 18 for the computation.
 * BigInt because 13 digits exceed what a double represents exactly.
 */
export function computeNirKey(first13: string): number {
  const digits = first13.toUpperCase().replace(/^(.{5})2A/, '$119').replace(/^(.{5})2B/, '$118');
  if (!/^\d{13}$/.test(digits)) {
    throw new RangeError('computeNirKey attend les 13 premiers caractères d’un NIR');
  }
  return Number(97n - (BigInt(digits) % 97n));
}

/**
 * Display form used on the Vitale card and on letters: "1 85 05 49 588 157 80"
 * (overseas: "1 90 03 972 09 123 45"). A string that is not a valid NIR is returned
 * normalized but ungrouped, because grouping would suggest it was checked.
 */
export function formatNir(nir: Nir | string): string {
  let parsed: Nir;
  if (typeof nir === 'string') {
    const result = parseNir(nir);
    if (!result.ok) return normalizeNirInput(nir);
    parsed = result.nir;
  } else {
    parsed = nir;
  }
  const v = parsed.value;
  return [
    v.charAt(0),
    v.slice(1, 3),
    v.slice(3, 5),
    parsed.department,
    parsed.commune,
    parsed.order,
    parsed.key,
  ].join(' ');
}

function splitPlace(value: string): { department: string; commune: string } {
  const twoDigits = value.slice(5, 7);
  // Births overseas: the third digit belongs to the department (971 Guadeloupe…), so the
  // commune keeps only 2 digits.
  if (twoDigits === '97' || twoDigits === '98') {
    return { department: value.slice(5, 8), commune: value.slice(8, 10) };
  }
  return { department: twoDigits, commune: value.slice(7, 10) };
}

/**
 * 01–12: known month. 20–42 and 50–99: the civil status record did not give the month
 * (INSEE then uses these ranges). Anything else cannot appear in a NIR.
 */
function readMonth(text: string): number | null | 'invalid' {
  const n = Number(text);
  if (n >= 1 && n <= 12) return n;
  if ((n >= 20 && n <= 42) || (n >= 50 && n <= 99)) return null;
  return 'invalid';
}

/**
 * The department at the date of birth, as INSEE wrote it then (service-public.fr F33078):
 * - 01–19, 21–95 metropolitan France (91–94 also Algeria and 95 Morocco before independence);
 * - 2A/2B Corsica since 1976, and 20 for people born in Corsica before the split;
 * - 96 Tunisia before independence;
 * - 971–978 overseas departments and collectivities (975 Saint-Pierre-et-Miquelon,
 *   977 Saint-Barthélemy, 978 Saint-Martin);
 * - 984–988 overseas territories (985 was Mayotte before it became 976);
 * - 99 born abroad, the commune is then the country code.
 */
function isKnownDepartment(department: string): boolean {
  if (department === '2A' || department === '2B') return true;
  if (department.length === 3) {
    return /^97[1-8]$/.test(department) || /^98[4-8]$/.test(department);
  }
  const n = Number(department);
  return (n >= 1 && n <= 96) || n === 99;
}

function fail(error: NirError): NirParseResult {
  return { ok: false, error };
}

function checkLength(value: string): NirError | null {
  if (value.length === NIR_LENGTH) return null;
  const typed =
    value.length === 0
      ? 'vous n’en avez saisi aucun'
      : `vous en avez saisi ${value.length}`;
  return {
    code: 'length',
    message: `Le numéro de sécurité sociale doit comporter 15 caractères (${typed}).`,
  };
}

function charactersError(value: string): NirError {
  const position = firstBadPosition(value);
  const where = position === null ? '' : ` Le caractère « ${value.charAt(position)} » en position ${position + 1} n’est pas accepté.`;
  return {
    code: 'characters',
    message:
      'Le numéro de sécurité sociale ne doit contenir que des chiffres, sauf 2A ou 2B pour une naissance en Corse.' +
      where,
  };
}

function firstBadPosition(value: string): number | null {
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    if (/\d/.test(c)) continue;
    // A or B is only acceptable as the second character of the department, after a 2.
    if (i === 6 && (c === 'A' || c === 'B') && value.charAt(5) === '2') continue;
    return i;
  }
  return null;
}

function sexError(digit: string): NirError {
  return {
    code: 'sex',
    message: `Le premier chiffre du numéro de sécurité sociale doit être 1 (homme) ou 2 (femme) : « ${digit} » n’est pas possible.`,
  };
}

function monthError(month: string): NirError {
  return {
    code: 'month',
    message: `Les 4e et 5e chiffres du numéro de sécurité sociale indiquent le mois de naissance, de 01 à 12 : « ${month} » n’est pas possible.`,
  };
}

function departmentError(department: string): NirError {
  return {
    code: 'department',
    message: `Le département de naissance « ${department} » (à partir du 6e caractère du numéro de sécurité sociale) n’existe pas.`,
  };
}

function communeError(department: string, commune: string): NirError {
  const what = department === '99' ? 'du pays de naissance' : 'de la commune de naissance';
  return {
    code: 'commune',
    message: `Le code ${what} « ${commune} » dans le numéro de sécurité sociale n’est pas possible.`,
  };
}

function orderError(): NirError {
  return {
    code: 'order',
    message:
      'Les 11e, 12e et 13e chiffres du numéro de sécurité sociale ne peuvent pas être « 000 ».',
  };
}

function keyError(): NirError {
  return {
    code: 'key',
    message:
      'La clé du numéro de sécurité sociale ne correspond pas : vérifiez les chiffres saisis.',
  };
}
