import type { Kysely } from 'kysely';
import { chainHash, GENESIS, headTag, type ChainFields } from './chain';
import { toBuffer, type AuditTables } from './tables';

/**
 * Writing and reading a record's access history (DOMAIN.md §6).
 *
 * Each record has its own chain; appending locks only that record's head row, so events of
 * different records never wait for each other, and events of one record get seq 1, 2, 3...
 * with no gap. The event is written in the caller's transaction: it is kept if and only if the
 * action it traces is.
 */

/** Every traced action. A new one is added here (and given its French label on the history screen). */
export const AUDIT_ACTIONS = [
  'create',
  'read-list',
  'open-document',
  'deposit',
  'replace',
  'mask',
  'unmask',
  'make-visible',
  'delete',
  'authorization-given',
  'authorization-revoked',
  'block',
  'unblock',
  'emergency-access',
  'login',
  'login-failed',
  'settings-changed',
  'export',
  'close',
  'reactivate',
  /** The record destroyed (at the patient's request, or 10 years after its closure): the chain's last event. */
  'delete-record',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const ACTOR_KINDS = [
  'patient',
  'representative',
  'caregiver',
  'professional',
  'agent',
  'system',
  'operator',
  'anonymous',
] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** What may name a person or say why: kept sealed under the patient's key, never in clear. */
export type AuditPersonal = {
  actorName?: string;
  profession?: string;
  workplace?: string;
  /** The reason given for an emergency access. */
  reason?: string;
  details?: Record<string, string | number | boolean | null>;
};

export type AuditEventInput = {
  recordId: string;
  actorKind: ActorKind;
  /** A pseudonymous identifier (RPPS number, login id, agent id): names go in `personal`. */
  actorId: string;
  action: AuditAction;
  documentId?: string | null;
  /** The access rule that allowed or refused the action ("care-team", "blocked", ...). */
  rule?: string | null;
  allowed: boolean;
  personal?: AuditPersonal | null;
};

/**
 * Seals the personal part under the patient's own key (given by the caller). Throwing from
 * `open` means "cannot be read" (e.g. the key was destroyed). With the embedded database the
 * cipher must not query the database itself while `appendEvent` runs in a transaction: load
 * the key before, or read it through the same transaction.
 */
export interface PersonalCipher {
  seal(recordId: string, plaintext: Buffer): Buffer | Promise<Buffer>;
  open(recordId: string, sealed: Buffer): Buffer | Promise<Buffer>;
}

/**
 * What appending needs: the cipher of the personal part, and the key of the chain's MAC
 * (recorder.ts derives both from the master key, in one place).
 */
export interface AuditKeys extends PersonalCipher {
  readonly chainKey: Buffer;
}

export type AppendedEvent = { recordId: string; seq: number; hash: Buffer };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTIONS = new Set<string>(AUDIT_ACTIONS);
const KINDS = new Set<string>(ACTOR_KINDS);

/** Programming errors, not user input: a bad event must never be written. */
function checkEvent(event: AuditEventInput, now: Date): void {
  if (!UUID.test(event.recordId)) throw new TypeError(`audit: recordId is not a uuid: ${event.recordId}`);
  if (event.documentId != null && !UUID.test(event.documentId)) throw new TypeError(`audit: documentId is not a uuid: ${event.documentId}`);
  if (!ACTIONS.has(event.action)) throw new TypeError(`audit: unknown action ${event.action}`);
  if (!KINDS.has(event.actorKind)) throw new TypeError(`audit: unknown actor kind ${event.actorKind}`);
  if (!event.actorId) throw new TypeError('audit: actorId is empty');
  if (typeof event.allowed !== 'boolean') throw new TypeError('audit: allowed must be true or false');
  if (!Number.isFinite(now.getTime())) throw new TypeError('audit: invalid time');
}

/**
 * Appends one event to its record's chain and returns its seq and hash. Give it the
 * transaction of the action being traced; given a plain connection, it opens its own.
 */
export async function appendEvent(trx: Kysely<any>, event: AuditEventInput, keys: AuditKeys, now: Date): Promise<AppendedEvent> {
  checkEvent(event, now);
  const recordId = event.recordId.toLowerCase();
  // Sealed before the head is locked, so the lock is held only for three short statements.
  const personal = hasContent(event.personal)
    ? Buffer.from(await keys.seal(recordId, Buffer.from(JSON.stringify(event.personal), 'utf8')))
    : null;
  const fields = (seq: number): ChainFields => ({
    recordId,
    seq,
    occurredAt: now,
    actorKind: event.actorKind,
    actorId: event.actorId,
    action: event.action,
    documentId: event.documentId?.toLowerCase() ?? null,
    rule: event.rule ?? null,
    allowed: event.allowed,
    personal,
  });
  const db = trx as Kysely<AuditTables>;
  if (!db.isTransaction) return db.transaction().execute((t) => appendToChain(t, recordId, fields, keys.chainKey));
  return appendToChain(db, recordId, fields, keys.chainKey);
}

async function appendToChain(
  db: Kysely<AuditTables>,
  recordId: string,
  fields: (seq: number) => ChainFields,
  chainKey: Buffer,
): Promise<AppendedEvent> {
  const head = await lockHead(db, recordId);
  const f = fields(head.seq + 1);
  // Always keyed, whatever came before: an old history's events simply stop being legacy here.
  const hash = chainHash(head.hash, f, chainKey);
  // One round trip: the event and the head's move, in one statement.
  const moved = await db
    .with('appended', (q) =>
      q
        .insertInto('audit_event')
        .values({
          record_id: recordId,
          seq: f.seq,
          occurred_at: f.occurredAt,
          actor_kind: f.actorKind,
          actor_id: f.actorId,
          action: f.action,
          document_id: f.documentId,
          rule: f.rule,
          allowed: f.allowed,
          personal: f.personal ? Buffer.from(f.personal) : null,
          prev_hash: head.hash,
          hash,
        })
        .returning('seq'),
    )
    .updateTable('audit_head')
    .set({ seq: f.seq, hash, tag: headTag(chainKey, recordId, { seq: f.seq, hash }) })
    .where('record_id', '=', recordId)
    .where('seq', '=', head.seq)
    .executeTakeFirst();
  if (moved.numUpdatedRows !== 1n) throw new Error(`audit: the head of record ${recordId} moved while locked`);
  return { recordId, seq: f.seq, hash };
}

/** Locks the record's head row, creating it (seq 0, GENESIS) before the record's first event. */
async function lockHead(db: Kysely<AuditTables>, recordId: string): Promise<{ seq: number; hash: Buffer }> {
  const select = () =>
    db.selectFrom('audit_head').select(['seq', 'hash']).where('record_id', '=', recordId).forUpdate().executeTakeFirst();
  let row = await select();
  if (!row) {
    await db
      .insertInto('audit_head')
      .values({ record_id: recordId, seq: 0, hash: GENESIS })
      .onConflict((oc) => oc.column('record_id').doNothing())
      .execute();
    row = await select();
  }
  if (!row) throw new Error(`audit: no head for record ${recordId}`);
  return { seq: row.seq, hash: toBuffer(row.hash) };
}

function hasContent(personal: AuditPersonal | null | undefined): personal is AuditPersonal {
  return !!personal && Object.values(personal).some((v) => v !== undefined);
}

// ---- Reading -----------------------------------------------------------------------------------

export type HistoryQuery = {
  from?: Date;
  /** Exclusive. */
  to?: Date;
  actorKind?: string;
  action?: string;
  /** Only events older than this one (a page's cursor: stable while new events are appended). */
  beforeSeq?: number;
  limit: number;
  offset?: number;
};

export type HistoryEvent = {
  seq: number;
  occurredAt: Date;
  actorKind: string;
  actorId: string;
  action: string;
  documentId: string | null;
  rule: string | null;
  allowed: boolean;
  /** 'unreadable' once the patient's key is gone (or the sealed bytes were damaged). */
  personalState: 'none' | 'open' | 'unreadable';
  personal: AuditPersonal | null;
};

export const HISTORY_PAGE_MAX = 1000;

/** A record's history, newest first, with the personal part opened where it still can be. */
export async function readHistory(db: Kysely<any>, recordId: string, cipher: PersonalCipher, query: HistoryQuery): Promise<HistoryEvent[]> {
  const { limit, offset = 0 } = query;
  if (!Number.isInteger(limit) || limit < 1 || limit > HISTORY_PAGE_MAX) throw new RangeError(`audit: limit must be 1..${HISTORY_PAGE_MAX}`);
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError('audit: offset must be a non-negative integer');
  if (!UUID.test(recordId)) throw new TypeError(`audit: recordId is not a uuid: ${recordId}`);
  let q = (db as Kysely<AuditTables>)
    .selectFrom('audit_event')
    .select(['seq', 'occurred_at', 'actor_kind', 'actor_id', 'action', 'document_id', 'rule', 'allowed', 'personal'])
    .where('record_id', '=', recordId.toLowerCase());
  if (query.from) q = q.where('occurred_at', '>=', query.from);
  if (query.to) q = q.where('occurred_at', '<', query.to);
  if (query.actorKind) q = q.where('actor_kind', '=', query.actorKind);
  if (query.action) q = q.where('action', '=', query.action);
  if (query.beforeSeq !== undefined) q = q.where('seq', '<', query.beforeSeq);
  const rows = await q.orderBy('seq', 'desc').limit(limit).offset(offset).execute();
  return Promise.all(
    rows.map(async (r) => ({
      seq: r.seq,
      occurredAt: r.occurred_at,
      actorKind: r.actor_kind,
      actorId: r.actor_id,
      action: r.action,
      documentId: r.document_id,
      rule: r.rule,
      allowed: r.allowed,
      ...(await openPersonal(cipher, recordId.toLowerCase(), r.personal)),
    })),
  );
}

async function openPersonal(
  cipher: PersonalCipher,
  recordId: string,
  sealed: Uint8Array | null,
): Promise<Pick<HistoryEvent, 'personalState' | 'personal'>> {
  if (!sealed) return { personalState: 'none', personal: null };
  try {
    const value: unknown = JSON.parse((await cipher.open(recordId, toBuffer(sealed))).toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('not an object');
    return { personalState: 'open', personal: value as AuditPersonal };
  } catch {
    return { personalState: 'unreadable', personal: null };
  }
}
