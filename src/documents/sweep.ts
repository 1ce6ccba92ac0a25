import type { AppContext } from '../platform';
import type { BlobStore, StoredBlob } from './blob-store';
import type { DocumentTables } from './tables';

/**
 * A deposit writes the sealed blob, then its row (deposit.ts); when the row fails the blob is
 * deleted again, but a process killed in between leaves a blob no row names, and a kill during
 * the write itself leaves the store's temporary file. This sweep, a housekeeping job of the
 * worker role, removes both.
 *
 * Only what is older than an hour goes: a deposit in flight on another node may have written its
 * blob and not yet committed its row, and a deposit takes seconds, not an hour. So a blob is
 * never taken from under a transaction that may still commit.
 */
export const ORPHAN_AGE_MS = 60 * 60_000;

/** Keys checked against the document table per query: one query per batch, never per blob. */
const BATCH = 500;

// What deposit.ts names a blob: `<recordId>/<documentId>/<version>`. Anything else is not ours to judge.
const DOCUMENT_BLOB = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/[0-9a-f-]{36}\/[1-9][0-9]*$/;

/** Deletes every blob no document row references and every interrupted write, both older than an hour; returns how many. */
export async function sweepOrphanBlobs(ctx: AppContext, store: BlobStore, now: Date): Promise<number> {
  const olderThan = new Date(now.getTime() - ORPHAN_AGE_MS);
  let removed = 0;
  let batch: string[] = [];
  for await (const stored of store.list(olderThan)) {
    if (stored.leftover) {
      await store.deleteLeftover(stored.key);
      removed++;
    } else if (isDocumentBlob(stored)) {
      batch.push(stored.key);
      if (batch.length < BATCH) continue;
      removed += await deleteUnreferenced(ctx, store, batch);
      batch = [];
    }
  }
  return removed + (await deleteUnreferenced(ctx, store, batch));
}

const isDocumentBlob = (stored: StoredBlob) => DOCUMENT_BLOB.test(stored.key);

async function deleteUnreferenced(ctx: AppContext, store: BlobStore, keys: string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const referenced = await referencedKeys(ctx, keys);
  const orphans = keys.filter((key) => !referenced.has(key));
  for (const key of orphans) await store.delete(key);
  return orphans.length;
}

/** Which of the keys a document row names; filtered by record too, so the primary key's index serves it. */
async function referencedKeys(ctx: AppContext, keys: string[]): Promise<Set<string>> {
  const records = [...new Set(keys.map((key) => key.slice(0, key.indexOf('/'))))];
  const rows = await ctx.database.db
    .withTables<DocumentTables>()
    .selectFrom('document')
    .select('blob_key')
    .where('record_id', 'in', records)
    .where('blob_key', 'in', keys)
    .execute();
  return new Set(rows.map((row) => row.blob_key));
}
