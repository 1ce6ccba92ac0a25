/**
 * The life of a record (DOMAIN.md §7), as pure rules: when a closed record is due for
 * destruction, who may destroy a record at once and how they confirm it, and what the copy of
 * a record holds and how its files are named. No I/O, no clock: callers pass the time.
 */
import type { RecordRole } from '../accounts';

/** A closed record is kept this long, then destroyed (seed 004). */
export const RETENTION_YEARS = 10;

/**
 * The instant a record closed at `closedAt` is to be destroyed: the same calendar day and time,
 * ten years later, in UTC. A record closed on 29 February is destroyed on 1 March.
 */
export function destructionDate(closedAt: Date): Date {
  const at = new Date(closedAt.getTime());
  at.setUTCFullYear(at.getUTCFullYear() + RETENTION_YEARS);
  return at;
}

export interface RetentionFacts {
  recordId: string;
  status: 'active' | 'closed';
  closedAt: Date | null;
}

/** Whether a record is due for destruction at `now`: closed, and closed ten full years ago. */
export function isDueForDestruction(record: Omit<RetentionFacts, 'recordId'>, now: Date): boolean {
  if (record.status !== 'closed' || record.closedAt === null || Number.isNaN(record.closedAt.getTime())) return false;
  return destructionDate(record.closedAt).getTime() <= now.getTime();
}

/** The records of `records` due for destruction at `now`, oldest closure first. */
export function dueForDestruction<R extends RetentionFacts>(records: readonly R[], now: Date): R[] {
  return records
    .filter((r) => isDueForDestruction(r, now))
    .sort((a, b) => a.closedAt!.getTime() - b.closedAt!.getTime() || a.recordId.localeCompare(b.recordId));
}

/**
 * A bound for the database to narrow the candidates with (`closed_at <= bound`): never earlier
 * than the real threshold (calendar years are not all the same length), the rule above decides.
 */
export function candidateClosedBefore(now: Date): Date {
  const bound = new Date(now.getTime());
  bound.setUTCFullYear(bound.getUTCFullYear() - RETENTION_YEARS);
  return new Date(bound.getTime() + 2 * 24 * 3600_000);
}

// ---- Definitive deletion at once ---------------------------------------------------------------

/** The word typed to confirm a definitive deletion. */
export const DELETION_WORD = 'SUPPRIMER';

/** The typed word, trimmed, in any case: «supprimer» is a clear enough intent, «SUPPRIME» is not. */
export function deletionConfirmed(typed: string): boolean {
  return typed.trim().toLocaleUpperCase('fr-FR') === DELETION_WORD;
}

/**
 * Only the titulaire destroys their record at once. A legal representative may close a child's
 * record (kept 10 years, the child can have it reactivated) but not destroy it: the record also
 * holds documents hidden from representatives, and the child, once of age, may want it.
 */
export function mayDestroyAtOnce(role: RecordRole | null): boolean {
  return role === 'holder';
}

// ---- The copy of the record ---------------------------------------------------------------------

/**
 * The largest copy offered as one download: beyond it, the patient is told to download document by
 * document. The archive streams (memory stays that of one document), so this bounds the download's
 * length, not the service's memory.
 */
export const MAX_COPY_BYTES = 100 * 1024 * 1024;

export interface CopyDocument {
  documentId: string;
  title: string;
  careDate: string;
  format: 'pdf' | 'cda' | 'text' | 'jpeg' | 'png';
  sizeBytes: number;
}

const EXTENSION: Record<CopyDocument['format'], string> = { pdf: 'pdf', cda: 'xml', text: 'txt', jpeg: 'jpg', png: 'png' };
const NAME_MAX = 80;

/**
 * A title made safe as a file name on every system: no path separator, no character Windows
 * refuses, no control character, no leading dot, not too long; «document» when nothing is left.
 */
export function safeFileName(title: string): string {
  const cleaned = title
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, '');
  const cut = Array.from(cleaned).slice(0, NAME_MAX).join('').trim();
  return cut === '' ? 'document' : cut;
}

export type CopyPlan =
  | { ok: true; totalBytes: number; files: { document: CopyDocument; path: string }[] }
  | { ok: false; totalBytes: number; limit: number };

/**
 * Where each document goes in the copy (`documents/2026-02-01 - Titre.pdf`, a number added when
 * two would have the same name), oldest care date first; refused when the documents' bytes
 * together pass `limit`.
 */
export function planCopy(documents: readonly CopyDocument[], limit = MAX_COPY_BYTES): CopyPlan {
  const totalBytes = documents.reduce((sum, d) => sum + d.sizeBytes, 0);
  if (totalBytes > limit) return { ok: false, totalBytes, limit };
  const taken = new Set<string>();
  const ordered = [...documents].sort((a, b) => a.careDate.localeCompare(b.careDate) || a.documentId.localeCompare(b.documentId));
  const files = ordered.map((document) => {
    const base = `${document.careDate} - ${safeFileName(document.title)}`;
    const extension = EXTENSION[document.format];
    let path = `documents/${base}.${extension}`;
    for (let n = 2; taken.has(path.toLowerCase()); n++) path = `documents/${base} (${n}).${extension}`;
    taken.add(path.toLowerCase());
    return { document, path };
  });
  return { ok: true, totalBytes, files };
}

/** «105 Mo», for the refusal. */
export function megabytes(bytes: number): string {
  return `${Math.ceil(bytes / (1024 * 1024))} Mo`;
}
