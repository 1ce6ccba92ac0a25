import type { AppContext } from '../../src/platform/context';
import { openPayload, type OutboxMessage } from '../../src/notify/outbox';
import type { OutboxTables } from '../../src/notify/tables';
import { creationCodeRequestsSettled } from '../../src/accounts/creation-code-requests';

/**
 * The messages queued so far, opened, newest first: what a person would receive. A creation-code
 * request answered before it was handled (creation-code-requests.ts) is waited for first.
 */
export async function queuedMessages(ctx: AppContext, kind?: OutboxMessage['kind']): Promise<OutboxMessage[]> {
  await creationCodeRequestsSettled(ctx);
  let query = ctx.database.db.withTables<OutboxTables>().selectFrom('outbox_message').select(['id', 'payload']).orderBy('seq', 'desc');
  if (kind) query = query.where('kind', '=', kind);
  const rows = await query.execute();
  return rows.filter((r) => r.payload).map((r) => openPayload(ctx.masterKey, r.id, r.payload!));
}

/** The code of the newest message of that kind (sent to `to` when given). */
export async function lastCode(ctx: AppContext, kind: OutboxMessage['kind'], to?: string): Promise<string> {
  const messages = await queuedMessages(ctx, kind);
  const match = messages.find((m) => !to || Object.values(m.to).includes(to));
  const code = match && 'code' in match.data ? match.data.code : undefined;
  if (!code) throw new Error(`no ${kind} message${to ? ` to ${to}` : ''}`);
  return code;
}
