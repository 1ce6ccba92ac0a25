import { parseArgs } from 'node:util';
import { addAgent, disableAgent, StaffInputError } from '../../accounts';
import type { Config } from '../../platform';
import { withContext } from './with-context';

/**
 * Agent accounts for the insurance desks, opened and closed by operators:
 *   agent:add --first-name Sophie --last-name Roux --office "CPAM du Rhône, Lyon 3e" --email sophie.roux@…
 *   agent:disable <identifier>
 * `agent:add` prints the identifier and the initial password once: they go to
 * the agent by hand, who replaces the password at the first sign-in.
 */

export async function agentAddCommand(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { 'first-name': { type: 'string' }, 'last-name': { type: 'string' }, office: { type: 'string' }, email: { type: 'string' } },
  });
  const missing = ['first-name', 'last-name', 'office', 'email'].filter((k) => !values[k as keyof typeof values]);
  if (missing.length) throw new StaffInputError(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
  await withContext(config, async (ctx) => {
    const { agentId, initialPassword } = await addAgent(ctx, {
      firstName: values['first-name']!,
      lastName: values['last-name']!,
      office: values.office!,
      email: values.email!,
    });
    console.log(`Agent account opened.\n  identifier:       ${agentId}\n  initial password: ${initialPassword}`);
    console.log('Give both to the agent in person; the password must be replaced at the first sign-in.');
  });
}

export async function agentDisableCommand(config: Config, args: string[]): Promise<void> {
  const agentId = args[0]?.trim().toLowerCase();
  if (!agentId) throw new StaffInputError('give the identifier of the agent to disable');
  await withContext(config, async (ctx) => {
    if (!(await disableAgent(ctx, agentId))) throw new StaffInputError(`no agent ${agentId}`);
    console.log(`Agent ${agentId} disabled; their sessions are ended.`);
  });
}
