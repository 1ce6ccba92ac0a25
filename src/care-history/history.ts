import type { CareLine } from './feed-line';

/**
 * A person's care history as the DMP keeps it: the reimbursed lines of the last 24 months,
 * newest first. Pure: the importer loads the stored lines, merges what the feed brings, and
 * writes a new version only when something changed.
 */

export const HISTORY_MONTHS = 24;

/** The first day still kept: the same day 24 months before `today` (yyyy-mm-dd). */
export function oldestKeptDay(today: string): string {
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const start = new Date(Date.UTC(year, month - 1 - HISTORY_MONTHS, 1));
  // The same day of that month, or its last day (31 March → 28/29 February).
  const lastDay = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)).getUTCDate();
  start.setUTCDate(Math.min(day, lastDay));
  return start.toISOString().slice(0, 10);
}

const newestFirst = (a: CareLine, b: CareLine) =>
  a.careDate === b.careDate ? (a.claimId < b.claimId ? -1 : a.claimId > b.claimId ? 1 : 0) : a.careDate < b.careDate ? 1 : -1;

const same = (a: CareLine, b: CareLine) =>
  a.careDate === b.careDate && a.kind === b.kind && a.label === b.label && a.quantity === b.quantity && a.professional === b.professional;

export interface MergedHistory {
  lines: CareLine[];
  /** False when the feed brought nothing new and nothing aged out: no new version to write. */
  changed: boolean;
}

/** A line sent again (same claim id) replaces the stored one; lines older than 24 months go. */
export function mergeCareHistory(stored: readonly CareLine[], incoming: readonly CareLine[], today: string): MergedHistory {
  const oldest = oldestKeptDay(today);
  const byClaim = new Map(stored.map((line) => [line.claimId, line]));
  let changed = false;
  for (const line of incoming) {
    const before = byClaim.get(line.claimId);
    if (before && same(before, line)) continue;
    byClaim.set(line.claimId, line);
    changed = true;
  }
  const kept = [...byClaim.values()].filter((line) => line.careDate >= oldest);
  if (kept.length !== byClaim.size) changed = true;
  return { lines: kept.sort(newestFirst), changed };
}
