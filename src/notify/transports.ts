import { mkdir, open as openFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type { Config } from '../platform';
import { renderLetterPdf } from './letter-pdf';
import type { OutboxMessage } from './outbox';
import { renderEmail, renderLetter, renderSms, type TemplateOptions } from './templates';

/**
 * How a message leaves: email over SMTP, SMS through an HTTP gateway, letters
 * as PDF files in a print queue. Each delivery carries the outbox id (as the
 * email's Message-ID, the gateway's Idempotency-Key, the letter's file name),
 * so that the rare re-delivery after a worker died mid-send can be recognised
 * and dropped by the receiving side.
 *
 * Without SMTP_URL or SMS_GATEWAY_URL (development only: production refuses
 * to start without them) emails and SMS go nowhere but the dev outbox.
 */

export type TransportConfig = Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'SMS_GATEWAY_URL' | 'PRINT_QUEUE_DIR' | 'PUBLIC_URL'>;

export interface Delivery {
  id: string;
  createdAt: Date;
  message: OutboxMessage;
}

export interface Transports {
  /** Resolves once the message is accepted by the other side; `signal` bounds the time spent. */
  deliver(delivery: Delivery, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** A failure named by a code that says nothing personal; `permanent` when retrying cannot help. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(readonly code: string, readonly permanent = false) {
    super(code);
  }
}

export function createTransports(config: TransportConfig): Transports {
  const options: TemplateOptions = { siteUrl: config.PUBLIC_URL };
  const email = config.SMTP_URL ? smtpSender(config.SMTP_URL, config.MAIL_FROM) : undefined;
  return {
    async deliver({ id, createdAt, message }, signal) {
      const to = message.to;
      if ('email' in to) {
        await email?.send(id, to.email, message, options, signal);
      } else if ('mobile' in to) {
        if (config.SMS_GATEWAY_URL) await sendSms(config.SMS_GATEWAY_URL, id, to.mobile, renderSms(message, options), signal);
      } else {
        const letter = renderLetter(message, options);
        const pdf = await renderLetterPdf({ recipient: to.postal, date: createdAt, ...letter });
        await writeAtomically(config.PRINT_QUEUE_DIR, letterFileName(id, createdAt), pdf);
      }
    },
    async close() {
      email?.close();
    },
  };
}

/** `<outbox id>@<the sender's domain>`: the same on every attempt, so a duplicate is recognisable. */
export function messageIdFor(id: string, mailFrom: string): string {
  const domain = /@([^\s>]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'opendmp.invalid';
  return `<${id}@${domain}>`;
}

export const letterFileName = (id: string, createdAt: Date) => `${createdAt.toISOString().slice(0, 10)}_${id}.pdf`;

function smtpSender(url: string, from: string) {
  // Pooled connections; the timeouts keep one send well inside the worker's lease.
  const transporter = createTransport({
    url,
    pool: true,
    maxConnections: 4,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(id: string, to: string, message: OutboxMessage, options: TemplateOptions, signal: AbortSignal) {
      const { subject, text, html } = renderEmail(message, options);
      await transporter.sendMail({
        from,
        to,
        subject,
        text,
        html,
        messageId: messageIdFor(id, from),
        headers: { 'Auto-Submitted': 'auto-generated' },
        signal,
      });
    },
    close: () => transporter.close(),
  };
}

// 4xx answers that may succeed later: timeouts, conflicts on the same key, rate limits.
const TRANSIENT_4XX = new Set([408, 409, 423, 425, 429]);

async function sendSms(gateway: string, id: string, to: string, text: string, signal: AbortSignal): Promise<void> {
  let response: Response;
  try {
    response = await fetch(gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': id },
      body: JSON.stringify({ to, text }),
      signal,
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    throw new DeliveryError(typeof cause?.code === 'string' ? cause.code : (error as Error).name);
  }
  await response.body?.cancel();
  if (!response.ok) {
    const permanent = response.status >= 400 && response.status < 500 && !TRANSIENT_4XX.has(response.status);
    throw new DeliveryError(`sms-gateway-${response.status}`, permanent);
  }
}

/** Written under a hidden temporary name, flushed, then renamed: the print service never sees half a file. */
async function writeAtomically(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${name}.tmp`);
  const file = await openFile(temporary, 'w', 0o600);
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, join(dir, name));
}
