import { createHmac } from 'node:crypto';

/**
 * Titles are sealed, yet people search them by words. A blind index keeps,
 * for each word of a title, a keyed hash (key derived from the record's own
 * data key): the database can match words without ever holding them.
 */

export function titleWords(text: string): string[] {
  const folded = text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
  return [...new Set(folded.split(/[^a-z0-9]+/).filter((w) => w.length >= 2))];
}

export function termsOf(indexKey: Buffer, text: string): string[] {
  return titleWords(text).map((w) => createHmac('sha256', indexKey).update(w).digest('base64url').slice(0, 16));
}
