import { createHash, createHmac } from 'node:crypto';

/**
 * The keyed chain of one record's access history (pure: no I/O).
 *
 * Each event is encoded as a deterministic byte string (its clear fields and the sealed
 * personal bytes), and its hash is HMAC-SHA-256(K, previous hash | encoding), K a key derived
 * from the master key for this use only (recorder.ts, `auditChainKey`). The first event follows
 * GENESIS. Changing, removing or moving any event breaks the hashes from there on; the
 * encoding includes the record id and the seq, so an event copied to another place does not
 * verify there either. The personal part is hashed sealed, so forgetting the patient's key
 * (crypto-shredding) leaves the chain verifiable.
 *
 * What the MAC protects: without K, nobody can write an event that verifies. Someone who can
 * write to the database but does not hold the service's keys can no longer rewrite events,
 * insert some, or remove one from the middle and recompute the rest, as they could with a plain
 * SHA-256 chain; this holds for the events after the last signed checkpoint too.
 * The head kept beside the chain carries its own MAC (`headTag`, over record, seq and hash), so
 * that cutting the newest events off and moving the head back to an earlier event is found too:
 * the tag of that earlier head was only in the database until the next append replaced it.
 * What it does not protect:
 *  - putting back an older copy of a chain with its head (a backup, or rows read earlier: a
 *    consistent past state), or removing a record's whole history, head included: only the
 *    signed checkpoints show that, so the newest events are at risk until the next checkpoint;
 *  - anything done by someone holding K (the master key): they can recompute the whole chain
 *    after the last checkpoint; the signed checkpoints, whose key should live apart (an HSM),
 *    are the only guard then. Hence the checkpoint period bounds what is at risk (README).
 *  - events written before the keying (existing installations, migration 0018) stay plain
 *    SHA-256 ("legacy"): they are as strong as before, i.e. protected by the checkpoints only.
 *    Which seqs are legacy is fixed per record by a row sealed with K (legacy.ts): an unkeyed
 *    event at or after that seq, or in a record without such a row, is `altered`, so a keyed
 *    event cannot be downgraded to the unkeyed form.
 */

const HASH_BYTES = 32;
/** What the first event of every chain follows. */
export const GENESIS: Buffer = Buffer.alloc(HASH_BYTES);

/** The fields of an event that the hash covers. */
export type ChainFields = {
  recordId: string;
  seq: number;
  occurredAt: Date;
  actorKind: string;
  actorId: string;
  action: string;
  documentId: string | null;
  rule: string | null;
  allowed: boolean;
  /** The sealed personal part, as stored. */
  personal: Uint8Array | null;
};

export type ChainEvent = ChainFields & { prevHash: Uint8Array; hash: Uint8Array };

/** An event's hashed fields as the audit_event table stores them (tables.ts). */
export type StoredChainFields = {
  seq: number;
  occurred_at: Date;
  actor_kind: string;
  actor_id: string;
  action: string;
  document_id: string | null;
  rule: string | null;
  allowed: boolean;
  personal: Uint8Array | null;
};

/** The one mapping from a stored row to what the hash covers, for whoever reads rows back. */
export function chainFieldsOf(recordId: string, row: StoredChainFields): ChainFields {
  return {
    recordId,
    seq: Number(row.seq),
    occurredAt: row.occurred_at,
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    action: row.action,
    documentId: row.document_id,
    rule: row.rule,
    allowed: row.allowed,
    personal: row.personal,
  };
}
export type ChainHead = { seq: number; hash: Buffer };
export type ChainBreak = 'altered' | 'missing' | 'reordered' | 'broken-link';
export type ChainVerdict =
  | { ok: true; count: number; head: ChainHead | null }
  | { ok: false; firstBadSeq: number; reason: ChainBreak };

const MAGIC = Buffer.from('opendmp:audit-event:v1\n', 'utf8');
const NULL_LENGTH = 0xffffffff;

/** The deterministic encoding: a version tag, then each field length-prefixed, in a fixed order. */
export function canonicalEvent(e: ChainFields): Buffer {
  if (!Number.isSafeInteger(e.seq) || e.seq < 1) throw new RangeError(`seq must be a positive integer, got ${e.seq}`);
  const time = e.occurredAt.getTime();
  if (!Number.isSafeInteger(time)) throw new RangeError('occurredAt is not a valid date');
  const seq = Buffer.alloc(8);
  seq.writeBigUInt64BE(BigInt(e.seq));
  const at = Buffer.alloc(8);
  at.writeBigInt64BE(BigInt(time));
  return Buffer.concat([
    MAGIC,
    ...field(text(e.recordId.toLowerCase())),
    ...field(seq),
    ...field(at),
    ...field(text(e.actorKind)),
    ...field(text(e.actorId)),
    ...field(text(e.action)),
    ...field(e.documentId === null ? null : text(e.documentId.toLowerCase())),
    ...field(e.rule === null ? null : text(e.rule)),
    ...field(Buffer.of(e.allowed ? 1 : 0)),
    ...field(e.personal),
  ]);
}

function text(value: string): Buffer {
  return Buffer.from(value, 'utf8');
}

function field(bytes: Uint8Array | null): Uint8Array[] {
  const length = Buffer.alloc(4);
  if (bytes === null) {
    length.writeUInt32BE(NULL_LENGTH);
    return [length];
  }
  length.writeUInt32BE(bytes.length);
  return [length, bytes];
}

/**
 * How a record's chain is verified: the MAC key, and the first keyed seq (1 unless the record
 * had events before the keying, and then only as sealed by `legacy.ts`).
 */
export type ChainScheme = { macKey: Buffer; keyedFrom: number };

/** `macKey` null: the legacy, unkeyed SHA-256 of events written before migration 0018. */
export function eventHash(prevHash: Uint8Array, canonical: Uint8Array, macKey: Buffer | null): Buffer {
  const hash = macKey ? createHmac('sha256', macKey) : createHash('sha256');
  return hash.update(prevHash).update(canonical).digest();
}

/** The hash an event must carry, after `prevHash`: every new event is keyed. */
export function chainHash(prevHash: Uint8Array, fields: ChainFields, macKey: Buffer | null): Buffer {
  return eventHash(prevHash, canonicalEvent(fields), macKey);
}

const HEAD_MAGIC = Buffer.from('opendmp:audit-head:v1\n', 'utf8');

/** The MAC of a record's head: which event is the newest, as only the key's holder can say. */
export function headTag(macKey: Buffer, recordId: string, head: ChainHead): Buffer {
  const seq = Buffer.alloc(8);
  seq.writeBigUInt64BE(BigInt(head.seq));
  return createHmac('sha256', macKey).update(HEAD_MAGIC).update(text(recordId.toLowerCase())).update(seq).update(head.hash).digest();
}

/**
 * Whether a verified chain's head carries its MAC; a head older than the keying (a legacy
 * record untouched since migration 0018) has none and needs none. A head moved back over a cut
 * end has the tag of the later head, or none: the events after it are missing.
 */
export function headSealed(scheme: ChainScheme, recordId: string, head: ChainHead, tag: Uint8Array | null): boolean {
  if (head.seq < scheme.keyedFrom) return true;
  return tag !== null && sameBytes(tag, headTag(scheme.macKey, recordId, head));
}

/** The hash this event must carry under the scheme: unkeyed only before `keyedFrom`. */
function expectedHash(scheme: ChainScheme, event: ChainEvent): Buffer {
  return chainHash(event.prevHash, event, event.seq < scheme.keyedFrom ? null : scheme.macKey);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * Verifies one record's events, given in seq order, and names the FIRST bad one:
 * - `missing`: the seq that should come next is absent (a gap, or a chain not starting at 1);
 * - `reordered`: the event does not follow its predecessor but follows another event of the
 *   chain (events swapped or moved), or the seqs themselves go backwards;
 * - `altered`: its content no longer matches its hash (under the scheme: a keyed event rewritten
 *   with a plain SHA-256, or with a MAC under another key, is altered);
 * - `broken-link`: it matches its own hash but does not follow the previous event (an event
 *   rewritten with a recomputed hash, or one inserted from elsewhere).
 * With `recorded`, the head kept beside the chain, a cut end is found too: a head past the
 * last event names the first missing seq.
 */
export function verifyChain(scheme: ChainScheme, events: readonly ChainEvent[], recorded?: ChainHead | null): ChainVerdict {
  // Built at the first break only: the hashes an out-of-place event may follow.
  let hashes: Set<string> | undefined;
  const followsAnotherEvent = (prevHash: Uint8Array, index: number) => {
    hashes ??= new Set(events.map((e) => Buffer.from(e.hash).toString('hex')));
    return (index > 0 && sameBytes(prevHash, GENESIS)) || hashes.has(Buffer.from(prevHash).toString('hex'));
  };

  let previous: Uint8Array = GENESIS;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const expected = i + 1;
    if (event.seq > expected) return { ok: false, firstBadSeq: expected, reason: 'missing' };
    if (event.seq < expected) return { ok: false, firstBadSeq: event.seq, reason: 'reordered' };
    const linked = sameBytes(event.prevHash, previous);
    const intact = sameBytes(expectedHash(scheme, event), event.hash);
    if (!linked || !intact) {
      const reason = !linked && followsAnotherEvent(event.prevHash, i) ? 'reordered' : intact ? 'broken-link' : 'altered';
      return { ok: false, firstBadSeq: expected, reason };
    }
    previous = event.hash;
  }

  const count = events.length;
  if (recorded) {
    if (recorded.seq > count) return { ok: false, firstBadSeq: count + 1, reason: 'missing' };
    if (recorded.seq < count) return { ok: false, firstBadSeq: recorded.seq + 1, reason: 'broken-link' };
    if (!sameBytes(recorded.hash, previous)) {
      return count === 0
        ? { ok: false, firstBadSeq: 1, reason: 'missing' }
        : { ok: false, firstBadSeq: count, reason: 'altered' };
    }
  }
  return { ok: true, count, head: count === 0 ? null : { seq: count, hash: Buffer.from(previous) } };
}
