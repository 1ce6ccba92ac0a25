import { hashPassword } from './password-hash';
import { revokeAllSessions } from './sessions';
import { generateInitialPassword } from './rules';
import type { AppContext } from '../platform';
import { normalizeEmail } from '../directory';
import { agentIdCandidate } from './agent-identifier';
import { agentsDb } from './agent-tables';

/**
 * The operators' side of agent accounts: the insurance tells who works at its
 * desks, an operator opens the account (CLI `agent:add`) and hands over the
 * identifier and an initial password that the agent replaces at the first
 * sign-in; an agent who leaves is disabled (`agent:disable`) at once.
 */

export interface NewAgent {
  firstName: string;
  lastName: string;
  office: string;
  email: string;
}

export class StaffInputError extends Error {
  override name = 'StaffInputError';
}

export async function addAgent(
  ctx: AppContext,
  input: NewAgent,
  options: { password?: string; initial?: boolean } = {},
): Promise<{ agentId: string; initialPassword: string }> {
  const firstName = input.firstName.trim();
  const lastName = input.lastName.trim();
  const office = input.office.trim();
  const email = normalizeEmail(input.email);
  if (!firstName || !lastName) throw new StaffInputError('the first and last names are required');
  if (!office) throw new StaffInputError('the office (CPAM and desk) is required');
  if (!email) throw new StaffInputError(`not an email address: ${input.email}`);
  const password = options.password ?? generateInitialPassword();
  const passwordHash = await hashPassword(password);
  const now = ctx.clock.now();
  const db = agentsDb(ctx);
  for (let attempt = 0; attempt < 100; attempt++) {
    const agentId = agentIdCandidate(firstName, lastName, attempt);
    const inserted = await db
      .insertInto('insurance_agent')
      .values({
        agent_id: agentId,
        first_name: firstName,
        last_name: lastName,
        office,
        email,
        password_hash: passwordHash,
        password_is_initial: options.initial ?? true,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('agent_id').doNothing())
      .returning('agent_id')
      .executeTakeFirst();
    if (inserted) return { agentId, initialPassword: password };
  }
  throw new StaffInputError(`too many agents named ${firstName} ${lastName}`);
}

/** Disables an agent and ends their open sessions. Returns false for an unknown identifier. */
export async function disableAgent(ctx: AppContext, agentId: string): Promise<boolean> {
  const now = ctx.clock.now();
  const updated = await agentsDb(ctx)
    .updateTable('insurance_agent')
    .set({ active: false, updated_at: now })
    .where('agent_id', '=', agentId)
    .returning('agent_id')
    .executeTakeFirst();
  if (!updated) return false;
  await revokeAllSessions(ctx.database.db, agentId, now);
  return true;
}
