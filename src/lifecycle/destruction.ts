/**
 * Destroying a record (DOMAIN.md §7): at once at the titulaire's request, or by the retention
 * purge ten years after its closure. Crypto-shredding first: the record's data key is destroyed,
 * so every sealed blob, title, profile entry and personal part of the access history becomes
 * unreadable wherever a copy lies (replicas, backups). Then its rows go from every record-scoped
 * table, the accounts forget it (the INS is free for a new record), and the documents' blobs are
 * deleted from the store.
 *
 * Kept on purpose: the access history (append-only, its chain still verifies: it hashes the
 * sealed bytes, not the clear ones) and the key's tombstone (so that no new key can ever be
 * made for the destroyed record id).
 */
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { lockRecord, closedRecordsUpTo } from '../records';
import { forgetDestroyedRecord } from '../accounts';
import { revokeAllSessions } from '../accounts';
import type { AppContext } from '../platform';
import { readTableFacts, type TableFacts } from '../platform';
import type { BlobStore } from '../documents';
import { blobKeysOfRecord } from '../documents';
import { destroyDataKey } from '../platform';
import { traceAndNotify } from '../events';
import { forgetPreferences } from '../notify';
import { candidateClosedBefore, dueForDestruction, isDueForDestruction } from './rules';

/** Record-scoped tables whose rows outlive the record (see the file's comment). */
export const KEPT_AFTER_DESTRUCTION: ReadonlySet<string> = new Set(['audit_event', 'audit_head', 'audit_checkpoint_head', 'record_key']);

export type Destroyer =
  | { kind: 'patient'; id: string; rule: 'titulaire' }
  | { kind: 'system'; id: 'retention-purge'; rule: 'retention-10-years' };

export interface Destruction {
  recordId: string;
  /** Rows deleted, per table. */
  rows: Record<string, number>;
  blobs: { deleted: number; failed: number };
  /** Patient accounts deleted because they acted on no other record. */
  removedAccounts: string[];
}

/**
 * The record-scoped tables to empty, found from the schema itself (their `scope:record` comment),
 * so that a table added by a later migration is not forgotten; a table referencing another comes
 * before it.
 */
export async function destroyableTables(db: Kysely<any>): Promise<string[]> {
  const facts = await readTableFacts({
    exec: async (script) => void (await db.executeQuery(CompiledQuery.raw(script))),
    query: async <R>(text: string, params: unknown[] = []) => (await db.executeQuery<R>(CompiledQuery.raw(text, params))).rows,
  });
  return referencingFirst(facts.filter((t) => t.scope === 'record' && !KEPT_AFTER_DESTRUCTION.has(t.name)));
}

function referencingFirst(tables: TableFacts[]): string[] {
  const names = new Set(tables.map((t) => t.name));
  const order: string[] = [];
  const visit = (t: TableFacts, path: Set<string>) => {
    if (order.includes(t.name) || path.has(t.name)) return;
    path.add(t.name);
    // Every table that references this one goes first.
    for (const other of tables) if (other.foreignKeys.some((fk) => fk.references === t.name && other.name !== t.name)) visit(other, path);
    order.push(t.name);
  };
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t, new Set());
  return order.filter((n) => names.has(n));
}

/**
 * Destroys one record; null when there is nothing to do (already destroyed, or, with
 * `onlyIfDueAt`, reactivated or closed again since it was found due). The database part is one
 * transaction; the blobs are deleted after it commits: were a deletion to fail, what stays in
 * the store is ciphertext whose key no longer exists.
 */
export async function destroyRecord(
  ctx: AppContext,
  blobs: BlobStore,
  recordId: string,
  by: Destroyer,
  options: { tables?: string[]; onlyIfDueAt?: Date } = {},
): Promise<Destruction | null> {
  const tables = options.tables ?? (await destroyableTables(ctx.database.db));
  const now = ctx.clock.now();
  const done = await ctx.database.db.transaction().execute(async (trx) => {
    const record = await lockRecord(trx, recordId);
    if (!record) return null;
    if (options.onlyIfDueAt && !isDueForDestruction(record, options.onlyIfDueAt)) return null;
    const blobKeys = await blobKeysOfRecord(trx, recordId);
    // Traced and told while the record's accounts are still linked to it; no personal part: it
    // could only be sealed under the key destroyed the next moment.
    await traceAndNotify(ctx, trx, { recordId, actorKind: by.kind, actorId: by.id, action: 'delete-record', allowed: true, rule: by.rule });
    await destroyDataKey(trx, recordId, now);
    const rows: Record<string, number> = {};
    for (const table of tables) {
      const result = await sql`DELETE FROM ${sql.table(table)} WHERE record_id = ${recordId}`.execute(trx);
      rows[table] = Number(result.numAffectedRows ?? 0n);
    }
    const removedAccounts = await forgetDestroyedRecord(trx, ctx.masterKey, recordId, record.insMatricule);
    for (const loginId of removedAccounts) {
      await revokeAllSessions(trx, loginId, now);
      await forgetPreferences(trx, loginId);
    }
    return { rows, blobKeys, removedAccounts };
  });
  if (!done) return null;
  const deleted = await deleteBlobs(ctx, blobs, done.blobKeys);
  return { recordId, rows: done.rows, blobs: deleted, removedAccounts: done.removedAccounts };
}

async function deleteBlobs(ctx: AppContext, blobs: BlobStore, keys: readonly string[]) {
  let failed = 0;
  for (const key of keys) {
    try {
      await blobs.delete(key);
    } catch {
      failed++;
    }
  }
  if (failed) ctx.logger.warn({ failed, total: keys.length }, 'destroyed record: some blobs could not be deleted (their key is destroyed)');
  return { deleted: keys.length - failed, failed };
}

// ---- Retention: records closed more than ten years ago -----------------------------------------

export interface PurgeReport {
  /** Records found due at the start of each batch. */
  due: number;
  destroyed: number;
  /** Due when found, no longer when destroyed (reactivated meanwhile): left alone. */
  skipped: number;
  failed: number;
  rows: number;
  blobs: { deleted: number; failed: number };
  removedAccounts: number;
}

const BATCH = 200;

/** Destroys every record closed ten years ago or more; running it again finds nothing more to do. */
export async function purgeClosedRecords(ctx: AppContext, blobs: BlobStore, { batch = BATCH } = {}): Promise<PurgeReport> {
  const now = ctx.clock.now();
  const tables = await destroyableTables(ctx.database.db);
  const report: PurgeReport = { due: 0, destroyed: 0, skipped: 0, failed: 0, rows: 0, blobs: { deleted: 0, failed: 0 }, removedAccounts: 0 };
  const leftAlone: string[] = [];
  for (;;) {
    // Oldest closures first: when none of a batch is due, no later record is either.
    const due = dueForDestruction(await closedRecordsUpTo(ctx, candidateClosedBefore(now), batch, leftAlone), now);
    if (due.length === 0) break;
    report.due += due.length;
    for (const { recordId } of due) {
      try {
        const destroyed = await destroyRecord(ctx, blobs, recordId, { kind: 'system', id: 'retention-purge', rule: 'retention-10-years' }, { tables, onlyIfDueAt: now });
        if (!destroyed) {
          report.skipped++;
          leftAlone.push(recordId);
          continue;
        }
        report.destroyed++;
        report.rows += Object.values(destroyed.rows).reduce((a, b) => a + b, 0);
        report.blobs.deleted += destroyed.blobs.deleted;
        report.blobs.failed += destroyed.blobs.failed;
        report.removedAccounts += destroyed.removedAccounts.length;
      } catch (error) {
        report.failed++;
        leftAlone.push(recordId);
        ctx.logger.error({ err: { name: (error as Error).name } }, 'retention purge: a record could not be destroyed');
      }
    }
  }
  return report;
}
