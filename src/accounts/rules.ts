import { randomInt } from 'node:crypto';

/** The numbers of DOMAIN.md §2–3, in one place. */
export const CREATION_CODE_VALIDITY_DAYS = 90;
export const CREATION_CODE_MAX_FAILURES = 5;
export const ONE_TIME_CODE_MINUTES = 10;
export const ONE_TIME_CODE_MAX_ATTEMPTS = 5;
export const ONE_TIME_CODE_MAX_RESENDS = 3;
export const FAILURES_BEFORE_LOCK = 5;
const FIRST_LOCK_MINUTES = 15;
const LONGEST_LOCK_MINUTES = 24 * 60;

/**
 * How long an account stays locked after `failures` wrong passwords in a row:
 * none before the fifth, then 15 minutes, doubling with each new failure, at
 * most a day. Growing delays stop guessing without locking a person out for good.
 */
export function lockMinutes(failures: number): number | null {
  if (failures < FAILURES_BEFORE_LOCK) return null;
  const doublings = Math.min(failures - FAILURES_BEFORE_LOCK, 10);
  return Math.min(FIRST_LOCK_MINUTES * 2 ** doublings, LONGEST_LOCK_MINUTES);
}

/** "06 •• •• •• 78": enough for the person to recognise their phone, not enough to learn it. */
export function maskMobile(mobile: string): string {
  const national = mobile.replace(/^\+33/, '0').replace(/\D/g, '');
  return `${national.slice(0, 2)} •• •• •• ${national.slice(-2)}`;
}

/** "n•••••@example.com" */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}•••••@${domain}`;
}

export function maskDestination(channel: 'sms' | 'email', value: string): string {
  return channel === 'sms' ? maskMobile(value) : maskEmail(value);
}

// No 0/O, 1/l/I: the initial password is read from a screen or a letter and typed by hand.
const INITIAL_PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A one-off password of four groups of four, replaced at the first login. */
export function generateInitialPassword(): string {
  const groups = Array.from({ length: 4 }, () =>
    Array.from({ length: 4 }, () => INITIAL_PASSWORD_ALPHABET[randomInt(INITIAL_PASSWORD_ALPHABET.length)]).join(''),
  );
  return groups.join('-');
}

export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60_000);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}
