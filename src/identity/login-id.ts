/**
 * Patient login identifier, e.g. "hup7510": permanent, short enough to read over the phone and
 * to copy from a letter. Not a secret (the password and one-time code are), so its length is
 * chosen for readability; uniqueness is the store's job, which retries with more digits.
 */
import { randomInt } from 'node:crypto';

/** Lowercase letters without i, l and o, which people confuse with 1 and 0. */
export const LOGIN_ID_LETTERS = 'abcdefghjkmnpqrstuvwxyz';

const LETTER_COUNT = 3;
const DEFAULT_DIGITS = 4;
/** Enough room for retries after collisions on a national scale (70 million records). */
const MAX_DIGITS = 10;

export interface LoginIdOptions {
  /** Digits added to the 4 default ones, for a caller retrying after collisions. */
  extraDigits?: number;
}

export function generateLoginId(options: LoginIdOptions = {}): string {
  const extra = options.extraDigits ?? 0;
  const digitCount = DEFAULT_DIGITS + extra;
  if (!Number.isInteger(extra) || extra < 0 || digitCount > MAX_DIGITS) {
    throw new RangeError(`extraDigits doit être un entier entre 0 et ${MAX_DIGITS - DEFAULT_DIGITS}`);
  }
  let id = '';
  // randomInt draws uniformly (no modulo bias), from the system's secure source.
  for (let i = 0; i < LETTER_COUNT; i++) id += LOGIN_ID_LETTERS.charAt(randomInt(LOGIN_ID_LETTERS.length));
  for (let i = 0; i < digitCount; i++) id += String(randomInt(10));
  return id;
}

const FORMAT = new RegExp(`^[${LOGIN_ID_LETTERS}]{${LETTER_COUNT}}\\d{${DEFAULT_DIGITS},${MAX_DIGITS}}$`);

/** Shape only: whether such an identifier exists is for the account store to say. */
export function isLoginIdFormat(s: string): boolean {
  return FORMAT.test(s);
}
