import type { AppContext } from '../platform';
import { notFound } from '../platform';
import { renderLetterPdf } from './letter-pdf';
import { openPayload, type OutboxMessage, type Recipient } from './outbox';
import type { OutboxTables } from './tables';
import { renderLetter, renderPreview, type TemplateOptions } from './templates';

/**
 * The outbox read back with what each message says: for the development
 * outbox only (DEV_OUTBOX, refused in production), where a developer or a test
 * reads a code that went "by SMS". Nothing else opens the payloads but the worker.
 */

export interface SentMessage {
  id: string;
  channel: string;
  kind: string;
  /** The email, the mobile number, or the postal address on one line; null once the payload is cleared. */
  to: string | null;
  subject: string | null;
  text: string | null;
  data: OutboxMessage['data'] | null;
  status: string;
  attempts: number;
  createdAt: Date;
}

const outbox = (ctx: AppContext) => ctx.database.db.withTables<OutboxTables>();
const templateOptions = (ctx: AppContext): TemplateOptions => ({ siteUrl: ctx.config.PUBLIC_URL });

/** Newest first; `to` keeps the messages sent to that exact email or mobile number. */
export async function listSentMessages(ctx: AppContext, { to, limit }: { to?: string; limit: number }): Promise<SentMessage[]> {
  // The recipient is sealed, so the filter runs here, on a wider window than is shown.
  const rows = await outbox(ctx)
    .selectFrom('outbox_message')
    .select(['id', 'channel', 'kind', 'payload', 'status', 'attempts', 'created_at'])
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(to ? 10 * limit : limit)
    .execute();
  const options = templateOptions(ctx);
  const messages = rows.map((row): SentMessage => {
    const message = row.payload ? readable(ctx, row.id, row.payload) : undefined;
    const preview = message ? renderPreview(message, options) : undefined;
    return {
      id: row.id,
      channel: row.channel,
      kind: row.kind,
      to: message ? recipientLine(message.to) : null,
      subject: preview?.subject ?? null,
      text: preview?.text ?? null,
      data: message?.data ?? null,
      status: row.status,
      attempts: row.attempts,
      createdAt: row.created_at,
    };
  });
  return to ? messages.filter((m) => m.to === to).slice(0, limit) : messages;
}

/** A queued letter as the print queue gets it. */
export async function sentLetterPdf(ctx: AppContext, id: string): Promise<Uint8Array> {
  const row = await outbox(ctx)
    .selectFrom('outbox_message')
    .select(['payload', 'created_at'])
    .where('id', '=', id)
    .where('channel', '=', 'letter')
    .executeTakeFirst();
  if (!row?.payload) throw notFound('Aucun courrier lisible sous ce numéro.');
  const message = openPayload(ctx.masterKey, id, row.payload);
  if (!('postal' in message.to)) throw notFound('Aucun courrier sous ce numéro.');
  return renderLetterPdf({ recipient: message.to.postal, date: row.created_at, ...renderLetter(message, templateOptions(ctx)) });
}

/** A payload sealed under another master key (a wiped dev-master-key) shows as cleared rather than failing the list. */
function readable(ctx: AppContext, id: string, payload: Uint8Array): OutboxMessage | undefined {
  try {
    return openPayload(ctx.masterKey, id, payload);
  } catch {
    return undefined;
  }
}

function recipientLine(to: Recipient): string {
  if ('email' in to) return to.email;
  if ('mobile' in to) return to.mobile;
  const { name, line, postalCode, city } = to.postal;
  return `${name}, ${line}, ${postalCode} ${city}`;
}
