import type { Kysely } from 'kysely';
import { chainFieldsOf, GENESIS, headSealed, verifyChain, type ChainBreak, type ChainEvent, type ChainHead } from './chain';
import { verifyCheckpoints, type CheckpointReport } from './checkpoints';
import { chainSchemes } from './legacy';
import { toBuffer, type AuditTables } from './tables';

/**
 * The whole verification of the access history: every record's chain (its MACs, under the
 * chain's key) against its recorded head, then the signed checkpoints against the chains.
 * Reads page by page, one record's chain in memory at a time.
 */

/** The chain's MAC key (recorder.ts, auditChainKey) and the checkpoints' trusted public keys. */
export type TrailKeys = { chainKey: Buffer; trustedKeys: Uint8Array | readonly Uint8Array[] };

export type RecordProblem = { recordId: string; firstBadSeq: number; reason: ChainBreak };

export type TrailReport = {
  ok: boolean;
  /** The record verified, or null for the whole trail. */
  recordId: string | null;
  records: {
    checked: number;
    events: number;
    /** The first bad event of each bad record (at most MAX_PROBLEMS). */
    problems: RecordProblem[];
    problemsTruncated: boolean;
  };
  checkpoints: CheckpointReport;
};

const PAGE = 5_000;
export const MAX_PROBLEMS = 1_000;

export async function verifyTrail(
  db: Kysely<any>,
  { chainKey, trustedKeys }: TrailKeys,
  { recordId }: { recordId?: string } = {},
): Promise<TrailReport> {
  const audit = db as Kysely<AuditTables>;
  const id = recordId?.toLowerCase() ?? null;
  const records: TrailReport['records'] = { checked: 0, events: 0, problems: [], problemsTruncated: false };
  if (id) await checkChains(audit, chainKey, [await recordEvents(audit, id)], records, id);
  else await checkEveryChain(audit, chainKey, records);
  const checkpoints = await verifyCheckpoints(audit, trustedKeys, id ? { recordId: id } : {});
  return { ok: records.problems.length === 0 && checkpoints.ok, recordId: id, records, checkpoints };
}

const EVENT_COLUMNS = [
  'record_id',
  'seq',
  'occurred_at',
  'actor_kind',
  'actor_id',
  'action',
  'document_id',
  'rule',
  'allowed',
  'personal',
  'prev_hash',
  'hash',
] as const;

type EventRow = Awaited<ReturnType<typeof recordEventRows>>[number];

function recordEventRows(db: Kysely<AuditTables>, recordId: string) {
  return db.selectFrom('audit_event').select(EVENT_COLUMNS).where('record_id', '=', recordId).orderBy('seq').execute();
}

async function recordEvents(db: Kysely<AuditTables>, recordId: string): Promise<ChainEvent[]> {
  return (await recordEventRows(db, recordId)).map(toChainEvent);
}

function toChainEvent(r: EventRow): ChainEvent {
  return { ...chainFieldsOf(r.record_id, r), prevHash: r.prev_hash, hash: r.hash };
}

async function checkEveryChain(db: Kysely<AuditTables>, chainKey: Buffer, records: TrailReport['records']): Promise<void> {
  let reading: ChainEvent[] = [];
  for (let after: [string, number] | null = null; ; ) {
    const from = after;
    let q = db.selectFrom('audit_event').select(EVENT_COLUMNS);
    if (from) q = q.where((eb) => eb(eb.refTuple('record_id', 'seq'), '>', eb.tuple(from[0], from[1])));
    const rows = await q.orderBy('record_id').orderBy('seq').limit(PAGE).execute();
    const complete: ChainEvent[][] = [];
    for (const row of rows) {
      if (reading.length && reading[0]!.recordId !== row.record_id) {
        complete.push(reading);
        reading = [];
      }
      reading.push(toChainEvent(row));
    }
    const last = rows.length < PAGE;
    if (last && reading.length) complete.push(reading);
    await checkChains(db, chainKey, complete, records);
    if (last) break;
    after = [rows.at(-1)!.record_id, rows.at(-1)!.seq];
  }
  // A head whose events are all gone.
  const emptied = await db
    .selectFrom('audit_head as h')
    .select('h.record_id')
    .where('h.seq', '>', 0)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('audit_event as e').select('e.seq').whereRef('e.record_id', '=', 'h.record_id'))))
    .orderBy('h.record_id')
    .limit(MAX_PROBLEMS)
    .execute();
  for (const { record_id } of emptied) {
    records.checked++;
    addProblem(records, { recordId: record_id, firstBadSeq: 1, reason: 'missing' });
  }
}

/** Verifies complete chains against their recorded heads. */
async function checkChains(
  db: Kysely<AuditTables>,
  chainKey: Buffer,
  chains: ChainEvent[][],
  records: TrailReport['records'],
  onlyRecord?: string,
): Promise<void> {
  const ids = onlyRecord ? [onlyRecord] : chains.map((c) => c[0]!.recordId);
  if (ids.length === 0) return;
  const heads = new Map<string, ChainHead & { tag: Uint8Array | null }>(
    (await db.selectFrom('audit_head').select(['record_id', 'seq', 'hash', 'tag']).where('record_id', 'in', ids).execute()).map((h) => [
      h.record_id,
      { seq: h.seq, hash: toBuffer(h.hash), tag: h.tag },
    ]),
  );
  const schemes = await chainSchemes(db, chainKey, ids);
  chains.forEach((events, i) => {
    const recordId = ids[i]!;
    records.checked++;
    records.events += events.length;
    // Events with no head at all were not appended by appendEvent (or the head was removed).
    const head = heads.get(recordId) ?? (events.length ? { seq: 0, hash: GENESIS, tag: null } : null);
    const scheme = schemes.get(recordId)!;
    const verdict = verifyChain(scheme, events, head);
    if (!verdict.ok) addProblem(records, { recordId, firstBadSeq: verdict.firstBadSeq, reason: verdict.reason });
    // A whole chain whose head lost its MAC: its end was cut and the head moved back.
    else if (head && head.seq > 0 && !headSealed(scheme, recordId, head, head.tag)) {
      addProblem(records, { recordId, firstBadSeq: head.seq + 1, reason: 'missing' });
    }
  });
}

function addProblem(records: TrailReport['records'], problem: RecordProblem): void {
  if (records.problems.length < MAX_PROBLEMS) records.problems.push(problem);
  else records.problemsTruncated = true;
}
