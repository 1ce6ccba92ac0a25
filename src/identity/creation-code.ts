/**
 * Creation code: the 12-character single-use code sent by email or letter so that a patient can
 * create their record online (e.g. "RMGADQEP2KRG"). It is a secret: 31^12 ≈ 7.9 × 10^17
 * possibilities, drawn from a secure source; expiry and single use are enforced by the store.
 */
import { randomInt } from 'node:crypto';

/** Uppercase letters and digits without 0/O, 1/I/L, which are confused when copied from paper. */
export const CREATION_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export const CREATION_CODE_LENGTH = 12;

export function generateCreationCode(): string {
  let code = '';
  // randomInt draws uniformly (no modulo bias).
  for (let i = 0; i < CREATION_CODE_LENGTH; i++) {
    code += CREATION_CODE_ALPHABET.charAt(randomInt(CREATION_CODE_ALPHABET.length));
  }
  return code;
}

/**
 * What people type: lowercase, spaces or dashes between groups, surrounding blanks.
 * Confusable characters are not mapped (O → 0…): the alphabet excludes them, so a typed O
 * makes the code fail its format check and the screen can say so.
 */
export function normalizeCreationCode(input: string): string {
  return input.trim().toUpperCase().replace(/[\s-]+/g, '');
}

const FORMAT = new RegExp(`^[${CREATION_CODE_ALPHABET}]{${CREATION_CODE_LENGTH}}$`);

/** Shape of an already normalized code. */
export function isCreationCodeFormat(s: string): boolean {
  return FORMAT.test(s);
}
