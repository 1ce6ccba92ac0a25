/**
 * RPPS number (répertoire partagé des professionnels de santé): 11 digits, the last one a
 * Luhn check digit over the first 10. It identifies a health professional for life.
 */

export type RppsErrorCode = 'length' | 'characters' | 'key';

export interface RppsError {
  readonly code: RppsErrorCode;
  readonly message: string;
}

export type RppsParseResult = { ok: true; rpps: string } | { ok: false; error: RppsError };

const RPPS_LENGTH = 11;

export function parseRpps(input: string): RppsParseResult {
  // Professionals copy it from their CPS card or the annuaire, often grouped with spaces.
  const value = input.replace(/\s+/g, '');
  if (value.length !== RPPS_LENGTH) {
    const typed = value.length === 0 ? 'vous n’en avez saisi aucun' : `vous en avez saisi ${value.length}`;
    return fail('length', `Le numéro RPPS doit comporter 11 chiffres (${typed}).`);
  }
  if (!/^\d+$/.test(value)) {
    return fail('characters', 'Le numéro RPPS ne doit contenir que des chiffres.');
  }
  if (computeLuhnDigit(value.slice(0, -1)) !== Number(value.slice(-1))) {
    return fail(
      'key',
      'Le numéro RPPS n’est pas valide : le dernier chiffre (clé de contrôle) ne correspond pas. Vérifiez les chiffres saisis.',
    );
  }
  return { ok: true, rpps: value };
}

/**
 * Luhn check digit for a string of digits: from the right, every other digit starting with the
 * rightmost is doubled (minus 9 when above 9); the check digit brings the sum to a multiple of 10.
 * It catches every single wrong digit and most swaps of two neighbours.
 */
export function computeLuhnDigit(payload: string): number {
  if (!/^\d+$/.test(payload)) {
    throw new RangeError('computeLuhnDigit attend une suite de chiffres');
  }
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    const digit = Number(payload.charAt(payload.length - 1 - i));
    const doubled = i % 2 === 0 ? digit * 2 : digit;
    sum += doubled > 9 ? doubled - 9 : doubled;
  }
  return (10 - (sum % 10)) % 10;
}

function fail(code: RppsErrorCode, message: string): RppsParseResult {
  return { ok: false, error: { code, message } };
}
