import type { SqlSession } from './database';

/**
 * What a migration's data step walks through: the rows of one table, a page at a time in the
 * order of a key (the primary key, or its first column), so that a large table is converted
 * without being read into memory at once and each page is found by its index.
 */
export interface RowWalk {
  table: string;
  /** An indexed column whose values are distinct (with `distinct`, the values themselves are walked). */
  key: string;
  /** The other columns to read (SQL select list), if any. */
  columns?: string;
  /** Walks the distinct values of `key` (a column that repeats, first in a composite key). */
  distinct?: boolean;
  /** Only the rows this SQL condition keeps (constants only: no parameters). */
  where?: string;
  pageSize?: number;
}

export async function walkRows<R extends Record<string, unknown>>(
  session: SqlSession,
  walk: RowWalk,
  each: (row: R) => Promise<void>,
): Promise<number> {
  const size = walk.pageSize ?? 500;
  const select = `SELECT ${walk.distinct ? 'DISTINCT ' : ''}${walk.key}${walk.columns ? `, ${walk.columns}` : ''} FROM ${walk.table}`;
  const only = walk.where ? `(${walk.where})` : 'true';
  let after: unknown = undefined;
  let seen = 0;
  for (;;) {
    const rows: R[] =
      after === undefined
        ? await session.query<R>(`${select} WHERE ${only} ORDER BY ${walk.key} LIMIT ${size}`)
        : await session.query<R>(`${select} WHERE ${walk.key} > $1 AND ${only} ORDER BY ${walk.key} LIMIT ${size}`, [after]);
    for (const row of rows) await each(row);
    seen += rows.length;
    if (rows.length < size) return seen;
    after = rows[rows.length - 1]![walk.key];
  }
}
