/**
 * The password policy, after ANSSI (2021), CNIL (deliberation 2022-100) and
 * NIST SP 800-63B: length matters, composition rules do not. A password is
 * accepted when it has 12 to 128 characters and is not guessable: not common,
 * not built on the person's identifier, names or birth date, and rated at least
 * 3 out of 4 by zxcvbn (French and common dictionaries, keyboard patterns).
 *
 * Pure and browser-safe: the web app imports it for the live verdict, the
 * server applies it again on what is submitted.
 */
import { ZxcvbnFactory, type ZxcvbnResult } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as frenchDictionary } from '@zxcvbn-ts/language-fr';
import { COMMON_FRENCH_PASSWORDS } from './common-passwords';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
/** zxcvbn's 3: "safely unguessable", about 10^8 guesses or more; what an online attacker cannot reach. */
const MIN_SCORE = 3;
const MIN_NAME_LETTERS = 3;

export type PasswordScore = 0 | 1 | 2 | 3 | 4;

export interface PasswordContext {
  loginId?: string;
  /** Birth name, used name, first names: each part of 3 letters or more is refused in the password. */
  names?: string[];
  /** yyyy-mm-dd */
  birthDate?: string;
}

export interface PasswordVerdict {
  acceptable: boolean;
  /** For a strength meter; never above 2 when the password is refused. */
  score: PasswordScore;
  /** Plain French sentences, one per reason, empty when acceptable. */
  problems: string[];
  /** One tip to do better, when refused for being guessable. */
  advice?: string;
}

export const PASSWORD_MESSAGES = {
  tooLong: (n: number) =>
    `Votre mot de passe ne doit pas dépasser ${PASSWORD_MAX_LENGTH} caractères (il en a ${n}).`,
  common: 'Ce mot de passe est trop courant.',
  commonDecorated:
    'Ce mot de passe est un mot de passe courant auquel on a ajouté des chiffres ou des signes : il est facile à deviner.',
  loginId: 'N’utilisez pas votre identifiant de connexion.',
  name: 'N’utilisez pas votre nom ni votre prénom.',
  birthDate: 'N’utilisez pas votre date ou votre année de naissance.',
  guessable: 'Ce mot de passe est trop facile à deviner.',
  advice:
    'Astuce : assemblez quatre ou cinq mots sans rapport entre eux, séparés par des espaces ou des tirets. C’est facile à retenir et difficile à deviner.',
} as const;

export function tooShortMessage(length: number): string {
  if (length === 0) return `Choisissez un mot de passe d’au moins ${PASSWORD_MIN_LENGTH} caractères.`;
  const has = length === 1 ? '1 seul' : String(length);
  return `Votre mot de passe doit contenir au moins ${PASSWORD_MIN_LENGTH} caractères (il en a ${has}).`;
}

/** zxcvbn's warnings (its translation keys) said in plain words. */
const GUESSABLE_BECAUSE: Record<string, string> = {
  straightRow: 'Ce mot de passe est trop facile à deviner : il suit des touches voisines du clavier.',
  keyPattern: 'Ce mot de passe est trop facile à deviner : il suit des touches voisines du clavier.',
  simpleRepeat: 'Ce mot de passe est trop facile à deviner : il répète les mêmes caractères.',
  extendedRepeat: 'Ce mot de passe est trop facile à deviner : il répète les mêmes caractères.',
  sequences: 'Ce mot de passe est trop facile à deviner : il contient une suite simple comme abcd ou 1234.',
  recentYears: 'Ce mot de passe est trop facile à deviner : il contient une année.',
  dates: 'Ce mot de passe est trop facile à deviner : il contient une date.',
  topTen: PASSWORD_MESSAGES.common,
  topHundred: PASSWORD_MESSAGES.common,
  common: PASSWORD_MESSAGES.common,
  similarToCommon: 'Ce mot de passe ressemble trop à un mot de passe courant.',
  wordByItself: 'Ce mot de passe est trop facile à deviner : un mot seul se trouve dans tous les dictionnaires.',
  namesByThemselves: 'Ce mot de passe est trop facile à deviner : il repose sur un prénom ou un nom de famille.',
  commonNames: 'Ce mot de passe est trop facile à deviner : il repose sur des noms courants.',
  userInputs: 'N’utilisez pas vos informations personnelles.',
};

export function evaluatePassword(password: string, context: PasswordContext = {}): PasswordVerdict {
  // NIST asks to compare passwords after Unicode normalisation; hashing does the same (password-hash.ts).
  const typed = password.normalize('NFKC');
  const length = [...typed].length; // characters as people count them, not UTF-16 units
  const problems: string[] = [];
  if (length < PASSWORD_MIN_LENGTH) problems.push(tooShortMessage(length));
  if (length > PASSWORD_MAX_LENGTH) problems.push(PASSWORD_MESSAGES.tooLong(length));

  const { loginIds, names, dates } = personalTokens(context);
  const variants = foldedVariants(typed);
  const contains = (tokens: string[]) => tokens.some((t) => variants.some((v) => v.includes(t)));
  if (contains(loginIds)) problems.push(PASSWORD_MESSAGES.loginId);
  if (contains(names)) problems.push(PASSWORD_MESSAGES.name);
  const alphanumeric = fold(typed).replace(/[^\p{L}\p{N}]/gu, '');
  if (dates.some((d) => alphanumeric.includes(d))) problems.push(PASSWORD_MESSAGES.birthDate);

  const common = commonness(typed);
  if (common) problems.push(common === 'exact' ? PASSWORD_MESSAGES.common : PASSWORD_MESSAGES.commonDecorated);

  const result = strength(typed, [...loginIds, ...names, ...dates]);
  // The general "guessable" comes last: a precise reason above is what the person can act on.
  if (result.score < MIN_SCORE && problems.length === 0) {
    problems.push(GUESSABLE_BECAUSE[result.feedback.warning ?? ''] ?? PASSWORD_MESSAGES.guessable);
  }

  const acceptable = problems.length === 0;
  const score = (acceptable ? result.score : Math.min(result.score, MIN_SCORE - 1)) as PasswordScore;
  const verdict: PasswordVerdict = { acceptable, score, problems };
  if (!acceptable && length <= PASSWORD_MAX_LENGTH) verdict.advice = PASSWORD_MESSAGES.advice;
  return verdict;
}

// ---------------------------------------------------------------------------
// zxcvbn, built once on first use: its dictionaries take a tenth of a second to rank.

let factory: ZxcvbnFactory | undefined;

function strength(password: string, userInputs: string[]): ZxcvbnResult {
  factory ??= new ZxcvbnFactory({
    graphs: adjacencyGraphs,
    dictionary: { ...commonDictionary, ...frenchDictionary, 'passwords-fr': [...COMMON_FRENCH_PASSWORDS] },
    // Bounds the work on hostile input (a check blocks its thread, and l33t variants grow fast):
    // only the first 64 characters are rated, which errs on the side of refusing.
    maxLength: 64,
    l33tMaxSubstitutions: 12,
  });
  return factory.check(password, userInputs);
}

// ---------------------------------------------------------------------------
// Folding: case, accents and common letter-for-digit swaps do not hide a word.

function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss');
}

const LEET: Record<string, string> = { '0': 'o', '3': 'e', '4': 'a', '@': 'a', '5': 's', $: 's', '7': 't', '8': 'b', '!': 'i' };

function unleet(s: string, one: 'i' | 'l'): string {
  return s.replace(/[0345@$78!1]/g, (c) => (c === '1' ? one : (LEET[c] ?? c)));
}

/** The password folded, without separators, and with digits read as letters. */
function foldedVariants(password: string): string[] {
  const folded = fold(password);
  const joined = folded.replace(/[\s\-_.'’,;:/]+/g, '');
  return [...new Set([folded, joined, unleet(joined, 'i'), unleet(joined, 'l')])];
}

interface PersonalTokens {
  loginIds: string[];
  names: string[];
  dates: string[];
}

function personalTokens(context: PasswordContext): PersonalTokens {
  const loginId = fold(context.loginId?.trim() ?? '');
  const names = new Set<string>();
  for (const name of context.names ?? []) {
    const parts = fold(name).split(/[^\p{L}]+/u).filter(Boolean);
    for (const part of [...parts, parts.join('')]) if (part.length >= MIN_NAME_LETTERS) names.add(part);
  }
  return {
    loginIds: loginId.length >= MIN_NAME_LETTERS ? [loginId] : [],
    names: [...names],
    dates: birthDateTokens(context.birthDate),
  };
}

/**
 * The year alone covers 1985, 19850517, 17051985 and 17/05/1985 (separators are
 * dropped before comparing); day and month cover 17/05 and 170585; yymmdd the rest.
 */
function birthDateTokens(birthDate: string | undefined): string[] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate ?? '');
  if (!match) return [];
  const [, year = '', month = '', day = ''] = match;
  return [year, day + month, year.slice(2) + month + day];
}

/** 'exact' for a listed password, 'decorated' for one with digits or signs around it. */
function commonness(password: string): 'exact' | 'decorated' | null {
  const folded = fold(password).replace(/[\s\-_.'’]+/g, '');
  const listed = (s: string) => COMMON.has(s) || COMMON.has(unleet(s, 'i')) || COMMON.has(unleet(s, 'l'));
  if (listed(folded)) return 'exact';
  if (repeatsListedWord(folded, listed)) return 'exact';
  const core = folded.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return core && core !== folded && listed(core) ? 'decorated' : null;
}

/** "doudoudoudou", "azertyazerty". */
function repeatsListedWord(s: string, listed: (word: string) => boolean): boolean {
  for (let size = 1; size <= s.length / 2; size++) {
    const unit = s.slice(0, size);
    if (s.length % size === 0 && unit.repeat(s.length / size) === s && listed(unit)) return true;
  }
  return false;
}

const COMMON = new Set(COMMON_FRENCH_PASSWORDS);
