import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform';
import { notFound } from '../../platform';
import { renderLetterPdf } from '../../notify';
import { openPayload, type OutboxMessage, type Recipient } from '../../notify';
import type { OutboxTables } from '../../notify';
import { escapeHtml, renderLetter, renderPreview, type TemplateOptions } from '../../notify';

/**
 * The development outbox: every message the service sent, readable by a
 * developer and by tests (to read a code that went "by SMS"). It exists only
 * when DEV_OUTBOX is on, which the configuration refuses in production.
 */

export interface DevOutboxEntry {
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

const SHOWN = 200;

export function registerDevOutbox(app: FastifyInstance, ctx: AppContext): void {
  if (!ctx.config.DEV_OUTBOX) return;
  const options: TemplateOptions = { siteUrl: ctx.config.PUBLIC_URL };

  app.get(
    '/dev/outbox',
    { schema: { hide: true, querystring: z.object({ to: z.string().min(1).optional() }) } },
    async (request) => {
      const { to } = request.query as { to?: string };
      return { messages: await listDevOutbox(ctx, options, to) };
    },
  );

  app.get('/dev/outbox.html', { schema: { hide: true } }, async (_request, reply) => {
    const rows = (await listDevOutbox(ctx, options)).map(htmlRow).join('\n');
    return reply.type('text/html; charset=utf-8').send(
      `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Boîte d’envoi de développement</title></head><body>
<h1>Boîte d’envoi de développement</h1><p>Les ${SHOWN} derniers messages, du plus récent au plus ancien.</p>
<table border="1" cellpadding="6"><thead><tr><th>Date</th><th>Canal</th><th>Modèle</th><th>Destinataire</th><th>Statut</th><th>Message</th></tr></thead>
<tbody>${rows}</tbody></table></body></html>`,
    );
  });

  app.get(
    '/dev/outbox/:id/letter.pdf',
    { schema: { hide: true, params: z.object({ id: z.uuid() }) } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const row = await outbox(ctx)
        .selectFrom('outbox_message')
        .select(['payload', 'created_at'])
        .where('id', '=', id)
        .where('channel', '=', 'letter')
        .executeTakeFirst();
      if (!row?.payload) throw notFound('Aucun courrier lisible sous ce numéro.');
      const message = openPayload(ctx.masterKey, id, row.payload);
      if (!('postal' in message.to)) throw notFound('Aucun courrier sous ce numéro.');
      const pdf = await renderLetterPdf({ recipient: message.to.postal, date: row.created_at, ...renderLetter(message, options) });
      return reply.type('application/pdf').send(Buffer.from(pdf));
    },
  );
}

const outbox = (ctx: AppContext) => ctx.database.db.withTables<OutboxTables>();

/** Newest first; `to` keeps the messages sent to that exact email or mobile number. */
async function listDevOutbox(ctx: AppContext, options: TemplateOptions, to?: string): Promise<DevOutboxEntry[]> {
  const rows = await outbox(ctx)
    .selectFrom('outbox_message')
    .select(['id', 'channel', 'kind', 'payload', 'status', 'attempts', 'created_at'])
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(to ? 10 * SHOWN : SHOWN)
    .execute();
  const entries = rows.map((row): DevOutboxEntry => {
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
  return to ? entries.filter((e) => e.to === to).slice(0, SHOWN) : entries;
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

function htmlRow(e: DevOutboxEntry): string {
  const text = e.text === null ? '<em>contenu effacé</em>' : `<strong>${escapeHtml(e.subject ?? '')}</strong><pre>${escapeHtml(e.text)}</pre>`;
  const pdf = e.channel === 'letter' && e.text !== null ? `<a href="/dev/outbox/${e.id}/letter.pdf">PDF</a>` : '';
  return `<tr><td>${e.createdAt.toISOString()}</td><td>${e.channel}</td><td>${escapeHtml(e.kind)}</td><td>${escapeHtml(e.to ?? '')}</td><td>${e.status}</td><td>${text}${pdf}</td></tr>`;
}
