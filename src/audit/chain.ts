import { createHash } from 'node:crypto';

/**
 * The hash chain of one record's access history (pure: no I/O).
 *
 * Each event is encoded as a deterministic byte string (its clear fields and the sealed
 * personal bytes), and its hash is SHA-256(previous hash | encoding). The first event follows
 * GENESIS. Changing, removing or moving any event breaks the hashes from there on; the
 * encoding includes the record id and the seq, so an event copied to another place does not
 * verify there either. The personal part is hashed sealed, so forgetting the patient's key
 * (crypto-shredding) leaves the chain verifiable.
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

export function eventHash(prevHash: Uint8Array, canonical: Uint8Array): Buffer {
  return createHash('sha256').update(prevHash).update(canonical).digest();
}

/** The hash an event must carry, after `prevHash`. */
export function chainHash(prevHash: Uint8Array, fields: ChainFields): Buffer {
  return eventHash(prevHash, canonicalEvent(fields));
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * Verifies one record's events, given in seq order, and names the FIRST bad one:
 * - `missing`: the seq that should come next is absent (a gap, or a chain not starting at 1);
 * - `reordered`: the event does not follow its predecessor but follows another event of the
 *   chain (events swapped or moved), or the seqs themselves go backwards;
 * - `altered`: its content no longer matches its hash;
 * - `broken-link`: it matches its own hash but does not follow the previous event (an event
 *   rewritten with a recomputed hash, or one inserted from elsewhere).
 * With `recorded`, the head kept beside the chain, a cut end is found too: a head past the
 * last event names the first missing seq.
 */
export function verifyChain(events: readonly ChainEvent[], recorded?: ChainHead | null): ChainVerdict {
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
    const intact = sameBytes(chainHash(event.prevHash, event), event.hash);
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
