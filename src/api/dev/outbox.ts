import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform';
import { escapeHtml, listSentMessages, sentLetterPdf, type SentMessage } from '../../notify';

/**
 * The development outbox: every message the service sent, readable by a
 * developer and by tests (to read a code that went "by SMS"). It exists only
 * when DEV_OUTBOX is on, which the configuration refuses in production.
 */

const SHOWN = 200;

export function registerDevOutbox(app: FastifyInstance, ctx: AppContext): void {
  if (!ctx.config.DEV_OUTBOX) return;

  app.get(
    '/dev/outbox',
    { schema: { hide: true, querystring: z.object({ to: z.string().min(1).optional() }) } },
    async (request) => {
      const { to } = request.query as { to?: string };
      return { messages: await listSentMessages(ctx, { to, limit: SHOWN }) };
    },
  );

  app.get('/dev/outbox.html', { schema: { hide: true } }, async (_request, reply) => {
    const rows = (await listSentMessages(ctx, { limit: SHOWN })).map(htmlRow).join('\n');
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
      return reply.type('application/pdf').send(Buffer.from(await sentLetterPdf(ctx, id)));
    },
  );
}

function htmlRow(e: SentMessage): string {
  const text = e.text === null ? '<em>contenu effacé</em>' : `<strong>${escapeHtml(e.subject ?? '')}</strong><pre>${escapeHtml(e.text)}</pre>`;
  const pdf = e.channel === 'letter' && e.text !== null ? `<a href="/dev/outbox/${e.id}/letter.pdf">PDF</a>` : '';
  return `<tr><td>${e.createdAt.toISOString()}</td><td>${e.channel}</td><td>${escapeHtml(e.kind)}</td><td>${escapeHtml(e.to ?? '')}</td><td>${e.status}</td><td>${text}${pdf}</td></tr>`;
}
