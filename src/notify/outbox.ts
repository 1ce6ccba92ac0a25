import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext } from '../platform';
import { open, seal } from '../platform';
import { deriveKey } from '../platform';
import type { Channel, OutboxTables } from './tables';

/**
 * The transactional outbox: a message is written in the same transaction as
 * the change that caused it (a record created, a code issued), so it is sent
 * if and only if that change is committed. The worker (worker.ts) delivers it.
 *
 * What a message says and to whom (one-time codes, emails, addresses) is
 * sealed under a key of its own, bound to the row's id; only the channel,
 * the template's name and the delivery bookkeeping stay in clear.
 *
 * Hand-made on purpose: PostgreSQL job queues (pg-boss, graphile-worker) bring their own schema
 * and connection handling, assume a PostgreSQL server (the embedded PGlite has one connection and
 * no LISTEN between processes), and would hold the messages in clear. Here a message is one row
 * of our own tables, written by the caller's Kysely transaction.
 */

export type { Channel } from './tables';

export interface PostalAddress {
  name: string;
  line: string;
  postalCode: string;
  city: string;
}
export type EmailRecipient = { email: string };
export type MobileRecipient = { mobile: string };
export type PostalRecipient = { postal: PostalAddress };
export type Recipient = EmailRecipient | MobileRecipient | PostalRecipient;

/** Each kind names its template, the recipients it may go to and the data it needs. */
export type OutboxMessage =
  | {
      kind: 'creation-code';
      to: EmailRecipient | PostalRecipient;
      /** expiresOn: a calendar date, YYYY-MM-DD. Letters take the address from the recipient. */
      data: { code: string; firstName: string; lastName: string; expiresOn: string };
    }
  | { kind: 'login-code'; to: MobileRecipient | EmailRecipient; data: { code: string; validMinutes: number } }
  | { kind: 'password-reset-code'; to: MobileRecipient | EmailRecipient; data: { code: string; validMinutes?: number } }
  | { kind: 'contact-change-code'; to: MobileRecipient | EmailRecipient; data: { code: string; validMinutes?: number } }
  /** An insurance agent's sign-in code, to their work email. */
  | { kind: 'desk-login-code'; to: EmailRecipient; data: { code: string; validMinutes: number } }
  /** A patient invites a proche aidant; the code is single use (expiresOn: YYYY-MM-DD). */
  | {
      kind: 'caregiver-invitation';
      to: EmailRecipient;
      data: { code: string; firstName: string; lastName: string; patientName: string; expiresOn: string; link: string };
    }
  /** For traceability notices: never medical content, the link leads to the signed-in space. */
  | { kind: 'notification'; to: EmailRecipient | MobileRecipient; data: { title: string; body: string; link: string } };

export type MessageKind = OutboxMessage['kind'];

const CHANNELS_OF: Record<MessageKind, Channel[]> = {
  'creation-code': ['email', 'letter'],
  'login-code': ['sms', 'email'],
  'password-reset-code': ['sms', 'email'],
  'contact-change-code': ['sms', 'email'],
  'desk-login-code': ['email'],
  'caregiver-invitation': ['email'],
  notification: ['email', 'sms'],
};

export function channelOf(to: Recipient): Channel {
  if ('email' in to) return 'email';
  if ('mobile' in to) return 'sms';
  return 'letter';
}

export class InvalidMessageError extends Error {
  override name = 'InvalidMessageError';
}

/** The types say it already; this keeps a message built from loose data from reaching the queue. */
function checkMessage(message: OutboxMessage): Channel {
  const allowed = CHANNELS_OF[message.kind];
  if (!allowed) throw new InvalidMessageError(`unknown message kind`);
  const channel = channelOf(message.to);
  if (!allowed.includes(channel)) throw new InvalidMessageError(`a ${message.kind} message cannot go by ${channel}`);
  const empty = Object.entries(message.data).find(([, v]) => v === undefined || v === null || v === '');
  if (empty) throw new InvalidMessageError(`${message.kind}: ${empty[0]} is empty`);
  if ((message.kind === 'notification' || message.kind === 'caregiver-invitation') && !/^https?:\/\//.test(message.data.link)) {
    throw new InvalidMessageError('notification: the link must be an http(s) address');
  }
  return channel;
}

const payloadKey = (masterKey: Buffer) => deriveKey(masterKey, 'outbox');

export function sealPayload(masterKey: Buffer, id: string, message: OutboxMessage): Buffer {
  return seal(payloadKey(masterKey), JSON.stringify(message), id);
}

export function openPayload(masterKey: Buffer, id: string, payload: Uint8Array): OutboxMessage {
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return JSON.parse(open(payloadKey(masterKey), bytes, id).toString('utf8')) as OutboxMessage;
}

/**
 * Queues a message. Pass the transaction that makes the change the message
 * tells about: if it rolls back, the message was never queued.
 * Returns the message's id (also its Message-ID / Idempotency-Key when sent).
 */
export async function enqueueMessage(
  db: Kysely<any>,
  masterKey: Buffer,
  message: OutboxMessage,
  now: Date,
): Promise<string> {
  const channel = checkMessage(message);
  const id = randomUUID();
  await (db as Kysely<OutboxTables>)
    .insertInto('outbox_message')
    .values({
      id,
      channel,
      kind: message.kind,
      payload: sealPayload(masterKey, id, message),
      next_attempt_at: now,
      created_at: now,
    })
    .execute();
  return id;
}

/** A message given up on, as an operator may see it: bookkeeping only, nothing personal. */
export interface DeadLetter {
  id: string;
  channel: Channel;
  kind: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

export async function listOperatorDeadLetters(ctx: AppContext, { limit = 200 } = {}): Promise<DeadLetter[]> {
  const rows = await ctx.database.db
    .withTables<OutboxTables>()
    .selectFrom('outbox_message')
    .select(['id', 'channel', 'kind', 'attempts', 'last_error', 'created_at'])
    .where('status', '=', 'dead')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    kind: r.kind,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
  }));
}
