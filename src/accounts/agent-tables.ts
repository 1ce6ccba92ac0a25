import type { ColumnType, Kysely, Selectable } from 'kysely';
import type { AppContext } from '../platform';

type Timestamp = ColumnType<Date, Date, Date>;

/** The agents module's table (migration 0011). */
export type AgentTables = {
  insurance_agent: {
    agent_id: string;
    first_name: string;
    last_name: string;
    office: string;
    email: string;
    password_hash: string;
    password_is_initial: boolean;
    active: ColumnType<boolean, boolean | undefined, boolean>;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
};

export type AgentRow = Selectable<AgentTables['insurance_agent']>;

export const agentsDb = (ctx: Pick<AppContext, 'database'>): Kysely<AgentTables> => ctx.database.db.withTables<AgentTables>();

/** An active agent by identifier; a disabled one is as good as unknown. */
export async function findActiveAgent(db: Kysely<AgentTables>, agentId: string): Promise<AgentRow | null> {
  const row = await db.selectFrom('insurance_agent').selectAll().where('agent_id', '=', agentId).executeTakeFirst();
  return row?.active ? row : null;
}
