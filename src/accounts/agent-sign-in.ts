import { hashPassword, verifyPassword } from './password-hash';
import { evaluatePassword } from './password-policy';
import { createSession, revokeAllSessions, updateSessionData, type Session } from './sessions';
import { issueChallenge, resendChallenge, verifyChallenge, type IssuedChallenge } from './challenges';
import { passThePasswordGate, WRONG_CREDENTIALS } from './password-gate';
import { accountsDb } from './store';
import type { AppContext } from '../platform';
import { AppError, invalidField } from '../platform';
import { agentsDb, findActiveAgent, type AgentRow } from './agent-tables';
import { z } from 'zod';

/** What an agent's session holds (api/agent/guard.ts reads it back on every desk request). */
export const sessionAgent = z.object({
  agentId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  name: z.string(),
  office: z.string(),
  mustChangePassword: z.boolean(),
});

export type Agent = z.infer<typeof sessionAgent>;

/**
 * An insurance agent signs in at the desk as a patient does (DOMAIN.md §1):
 * identifier and password, then an 8-digit code sent to the agent's work email,
 * at every sign-in. Unknown or disabled identifiers take the same path; wrong
 * passwords lock the identifier for a growing delay. The initial password handed
 * over by the operator must be replaced before anything else.
 */

/** Failures are counted apart from patients' ones, whatever the identifiers look like. */
const gateIdentifier = (agentId: string) => `agent:${agentId}`;

export async function startAgentSignIn(ctx: AppContext, typedId: string, password: string): Promise<IssuedChallenge> {
  const agentId = typedId.trim().toLowerCase();
  const agent = await findActiveAgent(agentsDb(ctx), agentId);
  await passThePasswordGate(ctx, {
    identifier: gateIdentifier(agentId),
    storedHash: agent?.password_hash ?? null,
    password,
    canReset: false,
    onFailure: async (lockedUntil) => {
      ctx.logger.info({ agentId, locked: lockedUntil !== null }, 'agent sign-in: wrong password');
    },
  });
  return accountsDb(ctx)
    .transaction()
    .execute((trx) => issueChallenge(ctx, trx, 'agent-login', agent!.agent_id, { channel: 'email', value: agent!.email }));
}

export function agentOf(row: AgentRow): Agent {
  return {
    agentId: row.agent_id,
    firstName: row.first_name,
    lastName: row.last_name,
    name: `${row.first_name} ${row.last_name.toUpperCase()}`,
    office: row.office,
    mustChangePassword: row.password_is_initial,
  };
}

export async function completeAgentSignIn(ctx: AppContext, challengeId: string, code: string): Promise<{ token: string; agent: Agent }> {
  const challenge = await verifyChallenge(ctx, 'agent-login', challengeId, code);
  const row = await findActiveAgent(agentsDb(ctx), challenge.login_id);
  if (!row) throw new AppError(401, 'wrong-credentials', 'Connexion impossible', WRONG_CREDENTIALS);
  const agent = agentOf(row);
  const { token } = await createSession(ctx.database.db, ctx.masterKey, { accountId: agent.agentId, actorKind: 'agent', data: { ...agent } }, ctx.clock.now());
  ctx.logger.info({ agentId: agent.agentId }, 'agent signed in');
  return { token, agent };
}

export function resendAgentCode(ctx: AppContext, challengeId: string): Promise<IssuedChallenge> {
  return resendChallenge(ctx, 'agent-login', challengeId, async (agentId) => {
    const row = await findActiveAgent(agentsDb(ctx), agentId);
    return row ? { channel: 'email', value: row.email } : null;
  });
}

/** The first sign-in replaces the operator's initial password; other sessions of the agent end. */
export async function replaceAgentPassword(
  ctx: AppContext,
  session: Session,
  input: { newPassword: string; newPasswordConfirmation: string },
): Promise<Agent> {
  const row = await findActiveAgent(agentsDb(ctx), session.accountId);
  if (!row) throw new AppError(401, 'unauthenticated', 'Connexion nécessaire', 'Connectez-vous pour accéder au guichet.');
  if (input.newPassword !== input.newPasswordConfirmation) {
    throw invalidField('newPasswordConfirmation', 'Les deux mots de passe sont différents. Tapez le même mot de passe deux fois.');
  }
  const verdict = evaluatePassword(input.newPassword, { loginId: row.agent_id, names: [row.first_name, row.last_name] });
  if (!verdict.acceptable) throw invalidField('newPassword', verdict.problems.join(' '));
  if (await verifyPassword(row.password_hash, input.newPassword)) {
    throw invalidField('newPassword', 'Choisissez un mot de passe différent de celui qu’on vous a donné.');
  }
  const now = ctx.clock.now();
  const updated = await agentsDb(ctx)
    .updateTable('insurance_agent')
    .set({ password_hash: await hashPassword(input.newPassword), password_is_initial: false, updated_at: now })
    .where('agent_id', '=', row.agent_id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await revokeAllSessions(ctx.database.db, row.agent_id, now, session.id);
  const agent = agentOf(updated);
  await updateSessionData(ctx.database.db, ctx.masterKey, session.id, { ...agent });
  return agent;
}
