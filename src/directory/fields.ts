/**
 * Field helpers shared by the directory line parsers: contact details (also typed on screens,
 * normalized once here so that they compare equal however they were written) and the shape of
 * a line's result.
 */

export type RowResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/**
 * Message for whoever maintains the file: the column first, then what is wrong. Messages
 * written as sentences elsewhere ("La clé…") continue after the colon in lowercase, as French
 * typography wants; a leading acronym ("RPPS…") is left alone.
 */
export function columnMessage(column: string, message: string): string {
  const text = /^\p{Lu}\p{Ll}/u.test(message) ? message.charAt(0).toLowerCase() + message.slice(1) : message;
  return `Colonne « ${column} » : ${text}`;
}

/** Reads a trimmed field; a column absent from the header reads as empty. */
export function fieldReader(row: Record<string, string>): (column: string) => string {
  return (column) => (row[column] ?? '').trim();
}

/** Empty means "not known" (null); anything else must normalize, or onInvalid is called. */
export function optionalField(
  value: string,
  normalize: (s: string) => string | null,
  onInvalid: () => void,
): string | null {
  if (value === '') return null;
  const normalized = normalize(value);
  if (normalized === null) onInvalid();
  return normalized;
}

/** Collapses runs of blanks, which spreadsheets and typing leave inside values. */
export function squeeze(s: string): string {
  return s.replace(/\s+/g, ' ');
}

/**
 * Deliberately loose: one @, no spaces, a dot in the domain. The only real check of an address
 * is a message reaching it; stricter patterns reject valid addresses.
 */
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const EMAIL_MAX_LENGTH = 254;

/** Lowercased trimmed address, or null when it cannot be an email address. */
export function normalizeEmail(input: string): string | null {
  const email = input.trim().toLowerCase();
  return email.length <= EMAIL_MAX_LENGTH && EMAIL.test(email) ? email : null;
}

/**
 * French mobile number (06 or 07) in international form "+33612345678", or null.
 * Accepts 06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78, +33 (0)6 12 34 56 78, 0033612345678.
 */
export function normalizeFrenchMobile(input: string): string | null {
  const compact = input.replace(/[\s.\-]/g, '').replace(/^\+33\(0\)/, '+33');
  const m = /^(?:0|\+33|0033)([67]\d{8})$/.exec(compact);
  return m ? `+33${m[1]}` : null;
}
