import type { SqlSession } from '../platform';
import { openWrappedDataKey, walkRows } from '../platform';
import { storedAuthorName, SEALED_AUTHOR_KINDS } from './author-name';
import type { AuthorKind } from './tables';

/**
 * Migration 0019's data step for documents: the name of a patient, representative or caregiver
 * who added a document, stored in clear before it, is sealed under the record's data key as
 * deposits now do (author-name.ts). A record whose key was destroyed has no documents left.
 */
export async function sealExistingAuthorNames(session: SqlSession, masterKey: Buffer): Promise<void> {
  const kinds = SEALED_AUTHOR_KINDS.map((k) => `'${k}'`).join(', ');
  await walkRows<{ record_id: string }>(
    session,
    { table: 'document', key: 'record_id', distinct: true, where: `author_kind IN (${kinds}) AND author_name_sealed IS NULL` },
    async ({ record_id }) => {
      const [keyRow] = await session.query<{ wrapped_key: Uint8Array | null }>('SELECT wrapped_key FROM record_key WHERE record_id = $1', [record_id]);
      if (!keyRow?.wrapped_key) return;
      const dataKey = openWrappedDataKey(masterKey, record_id, keyRow.wrapped_key);
      const rows = await session.query<{ document_id: string; version: number; author_kind: AuthorKind; author_name: string }>(
        `SELECT document_id, version, author_kind, author_name FROM document WHERE record_id = $1 AND author_kind IN (${kinds})`,
        [record_id],
      );
      for (const r of rows) {
        const stored = storedAuthorName(dataKey, record_id, r.document_id, { kind: r.author_kind, name: r.author_name });
        await session.query(`UPDATE document SET author_name = $1, author_name_sealed = $2 WHERE record_id = $3 AND document_id = $4 AND version = $5`, [
          stored.author_name,
          stored.author_name_sealed,
          record_id,
          r.document_id,
          r.version,
        ]);
      }
    },
  );
}
