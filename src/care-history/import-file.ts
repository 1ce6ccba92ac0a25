import type { AppContext } from '../platform';
import { csvBatches } from '../platform';
import type { BlobStore } from '../documents';
import { applyCareLines, type ApplyOutcome } from './apply';
import { FEED_COLUMNS, parseFeedRow, type CareLine } from './feed-line';

/**
 * The bulk import of the Assurance Maladie's care-history file: read in batches (files hold
 * millions of lines), every bad line reported with its number and skipped, the good ones
 * grouped by person and applied one person at a time (a few people at once on a PostgreSQL
 * server; the embedded database has one connection). A line for someone without a DMP is
 * counted and dropped: the feed only completes records that exist.
 */

export interface ImportProgress {
  read: number;
  refusedLines: number;
  persons: number;
}

export interface ImportReport extends ImportProgress {
  outcomes: Record<ApplyOutcome, number>;
  errors: { line: number; message: string }[];
}

export class FeedFileError extends Error {
  override name = 'FeedFileError';
}

const MAX_ERRORS_KEPT = 1000;

export async function importCareHistoryFile(
  ctx: AppContext,
  store: BlobStore,
  path: string,
  options: { batchSize?: number; onProgress?: (p: ImportProgress) => void } = {},
): Promise<ImportReport> {
  const report: ImportReport = {
    read: 0,
    refusedLines: 0,
    persons: 0,
    outcomes: { created: 0, updated: 0, unchanged: 0, 'no-record': 0, refused: 0 },
    errors: [],
  };
  const parallel = ctx.database.kind === 'postgres' ? 8 : 4;
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const refuse = (line: number, message: string) => {
    report.refusedLines += 1;
    if (report.errors.length < MAX_ERRORS_KEPT) report.errors.push({ line, message });
  };

  for await (const batch of csvBatches(path, options.batchSize ?? 5000)) {
    const absent = FEED_COLUMNS.filter((c) => c !== 'quantity' && c !== 'professional' && !batch.header.includes(c));
    if (absent.length) throw new FeedFileError(`Colonnes manquantes dans l’en-tête : ${absent.join(', ')}.`);
    const byPerson = new Map<string, CareLine[]>();
    for (const e of batch.errors) refuse(e.line, e.message);
    for (const row of batch.rows) {
      report.read += 1;
      const parsed = parseFeedRow(row.fields, today);
      if (!parsed.ok) {
        refuse(row.line, parsed.errors.join(' '));
        continue;
      }
      const lines = byPerson.get(parsed.value.ins) ?? [];
      lines.push(parsed.value.line);
      byPerson.set(parsed.value.ins, lines);
    }
    report.read += batch.errors.length;
    const persons = [...byPerson];
    for (let i = 0; i < persons.length; i += parallel) {
      const outcomes = await Promise.all(persons.slice(i, i + parallel).map(([ins, lines]) => applyCareLines(ctx, store, ins, lines)));
      for (const outcome of outcomes) report.outcomes[outcome] += 1;
    }
    report.persons += persons.length;
    options.onProgress?.({ read: report.read, refusedLines: report.refusedLines, persons: report.persons });
  }
  return report;
}
