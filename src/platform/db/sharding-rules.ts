import type { SqlSession } from './database';

/**
 * The rules that keep the schema ready to be distributed by record (Citus):
 * a patient's data lives with its record_id, so that one record's rows sit on
 * one node and no query or constraint has to cross two records.
 * Every table declares its scope in its comment (`scope:record`, ...).
 */

export type Scope = 'record' | 'directory' | 'reference' | 'system';
const SCOPES: Scope[] = ['record', 'directory', 'reference', 'system'];
const RECORD_KEY = 'record_id';

export interface TableFacts {
  name: string;
  scope: Scope | null;
  primaryKey: string[];
  uniqueKeys: string[][];
  foreignKeys: { columns: string[]; references: string; referencedColumns: string[] }[];
}

/** Pure: the sentences describing every breach of the rules, empty when the schema is sound. */
export function shardingViolations(tables: TableFacts[]): string[] {
  const scopeOf = new Map(tables.map((t) => [t.name, t.scope]));
  const out: string[] = [];
  for (const t of tables) {
    if (!t.scope) {
      out.push(`${t.name}: no scope comment (one of ${SCOPES.map((s) => 'scope:' + s).join(', ')})`);
      continue;
    }
    if (t.scope === 'record') {
      if (!t.primaryKey.includes(RECORD_KEY)) out.push(`${t.name}: patient data without ${RECORD_KEY} in its primary key`);
      for (const key of t.uniqueKeys) {
        if (!key.includes(RECORD_KEY)) out.push(`${t.name}: unique key (${key.join(', ')}) without ${RECORD_KEY}`);
      }
    }
    for (const fk of t.foreignKeys) {
      const target = scopeOf.get(fk.references) ?? null;
      if (target === 'reference' || (target === 'system' && t.scope === 'system')) continue;
      if (t.scope === 'record' && target === 'record') {
        const at = fk.columns.indexOf(RECORD_KEY);
        if (at < 0 || fk.referencedColumns[at] !== RECORD_KEY) {
          out.push(`${t.name}: foreign key to ${fk.references} does not go through ${RECORD_KEY} (it would cross records)`);
        }
        continue;
      }
      out.push(`${t.name} (scope:${t.scope}): foreign key to ${fk.references} (scope:${target}) cannot be kept when distributed`);
    }
  }
  return out;
}

/** Reads the facts of every table of the current schema. */
export async function readTableFacts(session: SqlSession): Promise<TableFacts[]> {
  const tables = await session.query<{ name: string; comment: string | null }>(
    `SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY c.relname`,
  );
  const indexes = await session.query<{ table: string; primary: boolean; columns: string[] }>(
    `SELECT t.relname AS table, i.indisprimary AS primary,
            array(SELECT a.attname::text FROM unnest(i.indkey) k JOIN pg_attribute a
                   ON a.attrelid = i.indrelid AND a.attnum = k) AS columns
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema() AND i.indisunique`,
  );
  const fks = await session.query<{ table: string; references: string; columns: string[]; referenced: string[] }>(
    `SELECT t.relname AS table, r.relname AS references,
            array(SELECT a.attname::text FROM unnest(c.conkey) k JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k) AS columns,
            array(SELECT a.attname::text FROM unnest(c.confkey) k JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k) AS referenced
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE c.contype = 'f' AND n.nspname = current_schema()`,
  );
  return tables.map(({ name, comment }) => {
    const scope = /^scope:(\w+)/.exec(comment ?? '')?.[1] as Scope | undefined;
    const own = indexes.filter((i) => i.table === name);
    return {
      name,
      scope: scope && SCOPES.includes(scope) ? scope : null,
      primaryKey: own.find((i) => i.primary)?.columns ?? [],
      uniqueKeys: own.filter((i) => !i.primary).map((i) => i.columns),
      foreignKeys: fks
        .filter((f) => f.table === name)
        .map((f) => ({ columns: f.columns, references: f.references, referencedColumns: f.referenced })),
    };
  });
}
