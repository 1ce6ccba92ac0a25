/**
 * One-time codes: 8 digits sent by SMS or email at every login (and to reset a
 * password). Only a MAC of the code is stored, bound to its challenge, so that
 * the table alone does not give the codes away and a code cannot be replayed
 * against another challenge. 10^8 possibilities with 5 tries: 1 chance in 20 million.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../platform';

export const ONE_TIME_CODE_DIGITS = 8;
const CODE_FORMAT = /^\d{8}$/;

export function generateOneTimeCode(): string {
  // randomInt draws uniformly from the system's secure source (no modulo bias).
  return String(randomInt(0, 10 ** ONE_TIME_CODE_DIGITS)).padStart(ONE_TIME_CODE_DIGITS, '0');
}

/** The MAC key of one-time codes, derived from the master key. */
export function oneTimeCodeKey(masterKey: Buffer): Buffer {
  return deriveKey(masterKey, 'one-time-code');
}

/** HMAC-SHA256 over the challenge id and the code: 32 bytes to store. */
export function hashOneTimeCode(key: Buffer, challengeId: string, code: string): Buffer {
  return createHmac('sha256', key).update(challengeId).update('\0').update(code).digest();
}

/** What people type: spaces, dashes or dots between groups, full-width digits. */
export function normalizeOneTimeCode(input: string): string {
  return input.normalize('NFKC').replace(/[\s.\-]/g, '');
}

/** Whether a typed code is the one whose MAC was stored; constant time whatever is typed. */
export function matchesOneTimeCode(key: Buffer, challengeId: string, typed: string, storedMac: Uint8Array): boolean {
  const code = normalizeOneTimeCode(typed);
  const mac = hashOneTimeCode(key, challengeId, code);
  const same = mac.length === storedMac.length && timingSafeEqual(mac, storedMac);
  return same && CODE_FORMAT.test(code);
}

// ---------------------------------------------------------------------------
// The decision, pure: the caller loads the challenge, asks, and stores the outcome.

export interface OneTimeCodeState {
  expiresAt: Date;
  /** Wrong codes already typed for this challenge. */
  attempts: number;
  consumedAt: Date | null;
  maxAttempts: number;
}

export type OneTimeCodeOutcome = 'ok' | 'wrong' | 'expired' | 'used' | 'too-many-attempts';

export interface OneTimeCodeCheck {
  outcome: OneTimeCodeOutcome;
  /** Tries left after this one. */
  attemptsLeft: number;
  /** French, for the person. */
  message: string;
}

/**
 * Decides what a typed code is worth. The caller holds the challenge's row
 * locked (SELECT … FOR UPDATE) from the read that gives this state to the write
 * of the outcome (one more attempt on 'wrong', consumed on 'ok'), so that
 * parallel requests are judged one after the other and cannot get extra tries.
 */
export function checkOneTimeCode(state: OneTimeCodeState, now: Date, matches: boolean): OneTimeCodeCheck {
  const left = Math.max(0, state.maxAttempts - state.attempts);
  if (state.consumedAt) {
    return { outcome: 'used', attemptsLeft: left, message: 'Ce code a déjà été utilisé. Demandez un nouveau code.' };
  }
  if (left === 0) {
    return {
      outcome: 'too-many-attempts',
      attemptsLeft: 0,
      message: 'Trop d’essais avec ce code. Demandez un nouveau code.',
    };
  }
  if (now.getTime() >= state.expiresAt.getTime()) {
    return { outcome: 'expired', attemptsLeft: left, message: 'Ce code a expiré. Demandez un nouveau code.' };
  }
  if (matches) return { outcome: 'ok', attemptsLeft: left, message: 'Code accepté.' };
  const after = left - 1;
  return { outcome: 'wrong', attemptsLeft: after, message: wrongCodeMessage(after) };
}

function wrongCodeMessage(left: number): string {
  if (left === 0) return 'Ce code n’est pas le bon. Vous avez utilisé tous vos essais : demandez un nouveau code.';
  return `Ce code n’est pas le bon. Il vous reste ${left} essai${left > 1 ? 's' : ''}.`;
}
