import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { AppContext } from '../platform';
import { loadDirectoryFile } from './load';

/** The demo directories shipped with the repository (test INS OIDs: not real people). */
export const DEMO_FILES = {
  insured: fileURLToPath(new URL('../../demo/insured-persons.csv', import.meta.url)),
  professionals: fileURLToPath(new URL('../../demo/professionals.csv', import.meta.url)),
};

/** Fills empty directories with the demo files; returns the counts, or null when nothing was empty. */
export async function loadDemoDirectoriesIfEmpty(
  ctx: Pick<AppContext, 'database' | 'masterKey'>,
): Promise<{ insured: number; professionals: number } | null> {
  const count = async (table: string) =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(ctx.database.db)).rows[0]?.n ?? 0;
  const [insured, professionals] = [await count('insured_person'), await count('health_professional')];
  if (insured > 0 && professionals > 0) return null;
  // Professionals first: insured persons name their médecin traitant by RPPS.
  const pros = professionals > 0 ? null : await loadDirectoryFile(ctx, 'professionals', DEMO_FILES.professionals, { test: true });
  const people = insured > 0 ? null : await loadDirectoryFile(ctx, 'insured', DEMO_FILES.insured, { test: true });
  for (const report of [pros, people]) {
    if (report && report.rejected > 0) {
      throw new Error(`Demo directory has bad lines: ${report.errors.map((e) => `line ${e.line}`).join(', ')}`);
    }
  }
  return { insured: people?.loaded ?? 0, professionals: pros?.loaded ?? 0 };
}
