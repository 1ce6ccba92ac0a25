import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { canonicalEvent, chainHash, eventHash, GENESIS, headSealed, headTag, verifyChain, type ChainEvent, type ChainFields, type ChainScheme } from './chain';

const RECORD = '6f1c2b9e-3a4d-4e5f-8a9b-0c1d2e3f4a5b';
const OTHER = '0a0b0c0d-1111-4222-8333-444455556666';
const KEY = randomBytes(32);
/** Every event keyed: a record begun after the keyed chain. */
const KEYED: ChainScheme = { macKey: KEY, keyedFrom: 1 };

function fields(seq: number, recordId = RECORD): ChainFields {
  return {
    recordId,
    seq,
    occurredAt: new Date(Date.UTC(2026, 2, 12, 9, 0, seq)),
    actorKind: seq % 2 ? 'professional' : 'patient',
    actorId: seq % 2 ? '10003456789' : 'hup7510',
    action: ['read-list', 'open-document', 'deposit', 'mask'][seq % 4]!,
    documentId: seq % 3 ? null : '11111111-2222-4333-8444-555555555555',
    rule: seq % 2 ? 'care-team' : null,
    allowed: seq % 5 !== 0,
    personal: seq % 4 === 1 ? null : Buffer.from(`sealed-${seq}`),
  };
}

/** A valid chain of n events. */
function chain(n: number, recordId = RECORD): ChainEvent[] {
  const out: ChainEvent[] = [];
  let prev: Buffer = GENESIS;
  for (let seq = 1; seq <= n; seq++) {
    const f = fields(seq, recordId);
    const hash = chainHash(prev, f, KEY);
    out.push({ ...f, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

/** The chain with event `seq` replaced by `change(event)`. */
function withEvent(events: ChainEvent[], seq: number, change: (e: ChainEvent) => ChainEvent): ChainEvent[] {
  return events.map((e) => (e.seq === seq ? change(e) : e));
}

/** Swaps the stored content of two seqs (what an UPDATE of the seq column does). */
function swapContent(events: ChainEvent[], a: number, b: number): ChainEvent[] {
  return events.map((e) => {
    if (e.seq === a) return { ...events[b - 1]!, seq: a };
    if (e.seq === b) return { ...events[a - 1]!, seq: b };
    return e;
  });
}

const head = (events: ChainEvent[]) => ({ seq: events.length, hash: Buffer.from(events.at(-1)?.hash ?? GENESIS) });

const FIELD_CHANGES: [string, (f: ChainEvent) => ChainEvent][] = [
  ['recordId', (e) => ({ ...e, recordId: OTHER })],
  ['occurredAt', (e) => ({ ...e, occurredAt: new Date(e.occurredAt.getTime() + 1) })],
  ['actorKind', (e) => ({ ...e, actorKind: 'agent' })],
  ['actorId', (e) => ({ ...e, actorId: e.actorId + '0' })],
  ['action', (e) => ({ ...e, action: 'delete' })],
  ['documentId', (e) => ({ ...e, documentId: e.documentId ? null : '99999999-2222-4333-8444-555555555555' })],
  ['rule', (e) => ({ ...e, rule: e.rule ? null : 'emergency' })],
  ['allowed', (e) => ({ ...e, allowed: !e.allowed })],
  ['personal', (e) => ({ ...e, personal: e.personal ? Buffer.concat([e.personal, Buffer.of(0)]) : Buffer.of(1) })],
  ['prevHash', (e) => ({ ...e, prevHash: randomBytes(32) })],
  ['hash', (e) => ({ ...e, hash: randomBytes(32) })],
];

describe('canonical event encoding', () => {
  it('is deterministic, starts with its version tag, and ignores uuid letter case', () => {
    const f = fields(6);
    assert.deepEqual(canonicalEvent(f), canonicalEvent({ ...f }));
    assert.ok(canonicalEvent(f).subarray(0, 22).toString('utf8').startsWith('opendmp:audit-event:v1'));
    assert.deepEqual(
      canonicalEvent({ ...f, recordId: f.recordId.toUpperCase(), documentId: f.documentId!.toUpperCase() }),
      canonicalEvent(f),
    );
  });

  it('changes with every field', () => {
    const base = { ...fields(6), prevHash: GENESIS, hash: GENESIS };
    const seen = new Set([canonicalEvent(base).toString('hex')]);
    for (const [name, change] of FIELD_CHANGES.filter(([n]) => n !== 'prevHash' && n !== 'hash')) {
      const encoded = canonicalEvent(change(base)).toString('hex');
      assert.ok(!seen.has(encoded), `changing ${name} must change the encoding`);
      seen.add(encoded);
    }
    assert.notDeepEqual(canonicalEvent({ ...base, seq: 7 }), canonicalEvent(base));
  });

  it('tells fields apart: no shifting a boundary, null is not empty', () => {
    const f = fields(2);
    assert.notDeepEqual(canonicalEvent({ ...f, actorKind: 'ab', actorId: 'c' }), canonicalEvent({ ...f, actorKind: 'a', actorId: 'bc' }));
    assert.notDeepEqual(canonicalEvent({ ...f, rule: null }), canonicalEvent({ ...f, rule: '' }));
    assert.notDeepEqual(canonicalEvent({ ...f, personal: null }), canonicalEvent({ ...f, personal: Buffer.alloc(0) }));
    assert.notDeepEqual(canonicalEvent({ ...f, rule: 'x', personal: null }), canonicalEvent({ ...f, rule: null, personal: Buffer.from('x') }));
  });

  it('refuses a seq or a date it cannot encode', () => {
    assert.throws(() => canonicalEvent({ ...fields(1), seq: 0 }), RangeError);
    assert.throws(() => canonicalEvent({ ...fields(1), seq: 1.5 }), RangeError);
    assert.throws(() => canonicalEvent({ ...fields(1), occurredAt: new Date('nope') }), RangeError);
  });

  it('hashes as HMAC-SHA-256(key, previous hash | encoding), and legacy events as SHA-256', () => {
    const canonical = canonicalEvent(fields(1));
    const prev = randomBytes(32);
    const keyed = createHmac('sha256', KEY).update(Buffer.concat([prev, canonical])).digest();
    assert.deepEqual(eventHash(prev, canonical, KEY), keyed);
    assert.deepEqual(chainHash(prev, fields(1), KEY), keyed);
    const legacy = createHash('sha256').update(Buffer.concat([prev, canonical])).digest();
    assert.deepEqual(chainHash(prev, fields(1), null), legacy, 'what migration 0018 found in place');
    assert.notDeepEqual(chainHash(prev, fields(1), randomBytes(32)), keyed, 'another key, another MAC');
    assert.equal(GENESIS.length, 32);
    assert.ok(GENESIS.every((b) => b === 0));
  });
});

describe('verifyChain', () => {
  it('accepts an empty chain and valid chains, and gives the head', () => {
    assert.deepEqual(verifyChain(KEYED, []), { ok: true, count: 0, head: null });
    assert.deepEqual(verifyChain(KEYED, [], { seq: 0, hash: GENESIS }), { ok: true, count: 0, head: null });
    for (const n of [1, 2, 7, 60]) {
      const events = chain(n);
      assert.deepEqual(verifyChain(KEYED, events), { ok: true, count: n, head: head(events) });
      assert.deepEqual(verifyChain(KEYED, events, head(events)), { ok: true, count: n, head: head(events) });
    }
  });

  it('accepts the same bytes whether they come as Buffer or Uint8Array (the two drivers)', () => {
    const events = chain(5).map((e) => ({
      ...e,
      prevHash: new Uint8Array(e.prevHash),
      hash: new Uint8Array(e.hash),
      personal: e.personal && new Uint8Array(e.personal),
    }));
    assert.equal(verifyChain(KEYED, events).ok, true);
  });

  it('names an altered event, whatever field and wherever it is', () => {
    const n = 6;
    for (let seq = 1; seq <= n; seq++) {
      for (const [name, change] of FIELD_CHANGES) {
        const verdict = verifyChain(KEYED, withEvent(chain(n), seq, change));
        assert.deepEqual(verdict, { ok: false, firstBadSeq: seq, reason: 'altered' }, `${name} of event ${seq}`);
      }
    }
  });

  it('names the first missing event', () => {
    const n = 6;
    for (let seq = 1; seq < n; seq++) {
      const verdict = verifyChain(KEYED, chain(n).filter((e) => e.seq !== seq));
      assert.deepEqual(verdict, { ok: false, firstBadSeq: seq, reason: 'missing' }, `event ${seq} removed`);
    }
    const twoGaps = chain(9).filter((e) => e.seq !== 4 && e.seq !== 7);
    assert.deepEqual(verifyChain(KEYED, twoGaps), { ok: false, firstBadSeq: 4, reason: 'missing' });
    assert.deepEqual(verifyChain(KEYED, chain(9).slice(3)), { ok: false, firstBadSeq: 1, reason: 'missing' });
  });

  it('needs the recorded head to see a cut end', () => {
    const events = chain(6);
    const cut = events.slice(0, 4);
    assert.equal(verifyChain(KEYED, cut).ok, true, 'a shorter chain is valid on its own');
    assert.deepEqual(verifyChain(KEYED, cut, head(events)), { ok: false, firstBadSeq: 5, reason: 'missing' });
    assert.deepEqual(verifyChain(KEYED, [], head(events)), { ok: false, firstBadSeq: 1, reason: 'missing' });
  });

  it('names the first of two swapped events as reordered', () => {
    const n = 6;
    for (let a = 1; a <= n; a++) {
      for (let b = a + 1; b <= n; b++) {
        const verdict = verifyChain(KEYED, swapContent(chain(n), a, b));
        assert.deepEqual(verdict, { ok: false, firstBadSeq: a, reason: 'reordered' }, `${a} swapped with ${b}`);
      }
    }
  });

  it('sees an event moved elsewhere as reordered', () => {
    const events = chain(6);
    const moved = [events[0]!, events[2]!, events[3]!, events[1]!, events[4]!, events[5]!].map((e, i) => ({ ...e, seq: i + 1 }));
    assert.deepEqual(verifyChain(KEYED, moved), { ok: false, firstBadSeq: 2, reason: 'reordered' });
    const firstMoved = [events[1]!, events[0]!, ...events.slice(2)].map((e, i) => ({ ...e, seq: i + 1 }));
    assert.deepEqual(verifyChain(KEYED, firstMoved), { ok: false, firstBadSeq: 1, reason: 'reordered' });
  });

  it('refuses events not given in seq order', () => {
    const events = chain(5);
    const shuffled = [events[0]!, events[2]!, events[1]!, events[3]!, events[4]!];
    assert.deepEqual(verifyChain(KEYED, shuffled), { ok: false, firstBadSeq: 2, reason: 'missing' });
    const duplicated = [events[0]!, events[1]!, events[1]!, events[2]!];
    assert.deepEqual(verifyChain(KEYED, duplicated), { ok: false, firstBadSeq: 2, reason: 'reordered' });
  });

  it('names a broken link when an event was rewritten with a recomputed hash', () => {
    const events = chain(6);
    const rewritten = withEvent(events, 3, (e) => {
      const forged = { ...e, action: 'read-list' === e.action ? 'deposit' : 'read-list' };
      return { ...forged, hash: chainHash(forged.prevHash, forged, KEY) };
    });
    assert.deepEqual(verifyChain(KEYED, rewritten), { ok: false, firstBadSeq: 4, reason: 'broken-link' });
    const lastRewritten = withEvent(events, 6, (e) => {
      const forged = { ...e, allowed: !e.allowed };
      return { ...forged, hash: chainHash(forged.prevHash, forged, KEY) };
    });
    assert.equal(verifyChain(KEYED, lastRewritten).ok, true, 'a rewritten last event is only seen against the head');
    assert.deepEqual(verifyChain(KEYED, lastRewritten, head(events)), { ok: false, firstBadSeq: 6, reason: 'altered' });
  });

  it('names a broken link for an event brought from another record', () => {
    const mine = chain(5);
    const foreign = chain(5, OTHER)[2]!;
    assert.deepEqual(verifyChain(KEYED, withEvent(mine, 3, () => foreign)), { ok: false, firstBadSeq: 3, reason: 'broken-link' });
  });

  it('sees events appended without moving the head', () => {
    const events = chain(5);
    assert.deepEqual(verifyChain(KEYED, events, head(events.slice(0, 3))), { ok: false, firstBadSeq: 4, reason: 'broken-link' });
  });

  it('names the first of several damages', () => {
    let events = withEvent(chain(10), 7, (e) => ({ ...e, action: 'delete' }));
    events = events.filter((e) => e.seq !== 9);
    events = withEvent(events, 4, (e) => ({ ...e, actorId: 'someone-else' }));
    assert.deepEqual(verifyChain(KEYED, events), { ok: false, firstBadSeq: 4, reason: 'altered' });
  });

  it('finds any single random damage at the right place (200 trials)', () => {
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + (trial % 30);
      const seq = 1 + Math.floor(Math.random() * (n - 1));
      const [name, change] = FIELD_CHANGES[trial % FIELD_CHANGES.length]!;
      const damage = trial % 3;
      const events = chain(n);
      if (damage === 0) {
        assert.deepEqual(verifyChain(KEYED, withEvent(events, seq, change)), { ok: false, firstBadSeq: seq, reason: 'altered' }, name);
      } else if (damage === 1) {
        assert.deepEqual(verifyChain(KEYED, events.filter((e) => e.seq !== seq)), { ok: false, firstBadSeq: seq, reason: 'missing' });
      } else {
        assert.deepEqual(verifyChain(KEYED, swapContent(events, seq, n)), { ok: false, firstBadSeq: seq, reason: 'reordered' });
      }
    }
  });
});

/** A chain whose events before `keyedFrom` were written unkeyed (before migration 0018), the rest keyed. */
function legacyChain(n: number, keyedFrom: number, macKey: Buffer | null = KEY): ChainEvent[] {
  const out: ChainEvent[] = [];
  let prev: Buffer = GENESIS;
  for (let seq = 1; seq <= n; seq++) {
    const f = fields(seq);
    const hash = chainHash(prev, f, seq < keyedFrom ? null : macKey);
    out.push({ ...f, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

/** What someone without the key can do: rewrite events from `fromSeq` on and recompute them in SHA-256. */
function rewrittenUnkeyed(events: ChainEvent[], fromSeq: number): ChainEvent[] {
  const out: ChainEvent[] = [];
  let prev: Uint8Array = GENESIS;
  for (const e of events) {
    if (e.seq < fromSeq) out.push(e);
    else {
      const forged = { ...e, prevHash: prev, actorId: 'someone-else' };
      out.push({ ...forged, hash: chainHash(prev, forged, null) });
    }
    prev = out.at(-1)!.hash;
  }
  return out;
}

describe('verifyChain: the keyed MAC', () => {
  it('names a tail rewritten and recomputed in plain SHA-256 (no key) as altered, even as the last events', () => {
    const events = chain(8);
    for (const from of [1, 5, 8]) {
      const forged = rewrittenUnkeyed(events, from);
      const forgedHead = { seq: 8, hash: Buffer.from(forged.at(-1)!.hash) };
      assert.deepEqual(verifyChain(KEYED, forged, forgedHead), { ok: false, firstBadSeq: from, reason: 'altered' }, `from ${from}`);
    }
  });

  it('names a chain recomputed under another key as altered', () => {
    const other = legacyChain(5, 1, randomBytes(32));
    assert.deepEqual(verifyChain(KEYED, other), { ok: false, firstBadSeq: 1, reason: 'altered' });
  });

  it('verifies a history begun before the keying: SHA-256 before the sealed boundary, keyed after', () => {
    const events = legacyChain(9, 5);
    const scheme = { macKey: KEY, keyedFrom: 5 };
    assert.deepEqual(verifyChain(scheme, events, head(events)), { ok: true, count: 9, head: head(events) });
    assert.deepEqual(verifyChain(KEYED, events), { ok: false, firstBadSeq: 1, reason: 'altered' }, 'without its boundary, legacy events do not pass');
    assert.deepEqual(verifyChain({ macKey: KEY, keyedFrom: 10 }, events).ok, false, 'nor do keyed ones before a raised boundary');
  });

  it('catches a keyed event downgraded to the unkeyed form, after the boundary', () => {
    const events = legacyChain(9, 5);
    const scheme = { macKey: KEY, keyedFrom: 5 };
    for (const from of [5, 7, 9]) {
      const forged = rewrittenUnkeyed(events, from);
      assert.deepEqual(verifyChain(scheme, forged, head(forged)), { ok: false, firstBadSeq: from, reason: 'altered' }, `from ${from}`);
    }
    const legacyRewritten = rewrittenUnkeyed(events.slice(0, 4), 3);
    assert.equal(verifyChain(scheme, legacyRewritten).ok, true, 'legacy events are only as strong as before: the checkpoints guard them');
  });
});

describe('headSealed: the MAC of the newest event', () => {
  it('accepts the head as appended and nothing else: a head moved back, another record, another key', () => {
    const events = chain(6);
    const newest = head(events);
    const tag = headTag(KEY, RECORD, newest);
    assert.equal(headSealed(KEYED, RECORD, newest, tag), true);
    const movedBack = head(events.slice(0, 4));
    assert.equal(verifyChain(KEYED, events.slice(0, 4), movedBack).ok, true, 'the shorter chain is whole');
    assert.equal(headSealed(KEYED, RECORD, movedBack, tag), false, 'but its head carries the tag of event 6');
    assert.equal(headSealed(KEYED, RECORD, movedBack, null), false);
    assert.equal(headSealed(KEYED, OTHER, newest, tag), false);
    assert.equal(headSealed(KEYED, RECORD, newest, headTag(randomBytes(32), RECORD, newest)), false);
  });

  it('needs no tag on the head of a history untouched since before the keying', () => {
    const events = legacyChain(4, 5);
    assert.equal(headSealed({ macKey: KEY, keyedFrom: 5 }, RECORD, head(events), null), true);
    assert.equal(headSealed({ macKey: KEY, keyedFrom: 4 }, RECORD, head(events), null), false, 'a keyed head needs its tag');
  });
});
