import type { ColumnType, Kysely } from 'kysely';
import type { AppContext } from '../platform';

type Timestamp = ColumnType<Date, Date, Date>;

/** The care-history module's table (migration 0012). */
export type CareHistoryTables = {
  care_history: {
    record_id: string;
    document_id: string;
    version: number;
    lines_sealed: Buffer;
    line_count: number;
    updated_at: Timestamp;
  };
};

export const careHistoryDb = (ctx: Pick<AppContext, 'database'>): Kysely<CareHistoryTables> =>
  ctx.database.db.withTables<CareHistoryTables>();
