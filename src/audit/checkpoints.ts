import { sql, type Kysely } from 'kysely';
import { repeatEvery, type AppContext } from '../platform';
import { sameBytes } from './chain';
import { checkpointSignatureValid, HeadsDigest, resolveAuditSigningKey, signCheckpoint, type AuditSigningKey } from './signing';
import { toBuffer, type AuditTables } from './tables';

/**
 * Signed checkpoints of every chain head. The chains alone cannot show that the end of a chain
 * was cut, or that a whole chain was recomputed by someone with owner rights; a signed head
 * can, as long as the signing key is kept away from the database's owners.
 *
 * A checkpoint signs the digest of all heads (in record_id order) and the previous signature.
 * Only the heads that moved since the previous checkpoint are stored (audit_checkpoint_head), so
 * a checkpoint writes one row per record that changed, not one per record. Before signing, each
 * moved head must extend the head checkpointed before it: a chain that went backwards or was
 * rewritten is refused, never laundered into a fresh checkpoint. A refused record keeps its last
 * checkpointed head in the new checkpoint (so verification still names it) and is reported; the
 * other records are checkpointed all the same, or one damaged record would leave every other
 * history unprotected from then on.
 */

const PAGE = 5_000;
const PUBLISH_LOCK = 726_2007; // one publisher at a time across all nodes

export class CheckpointRefused extends Error {
  override name = 'CheckpointRefused';
  constructor(readonly recordId: string, detail: string) {
    super(`audit checkpoint refused: record ${recordId} ${detail}`);
  }
}

export type PublishedCheckpoint = { id: number; createdAt: Date; recordCount: number; movedHeads: number };

export type PublishOptions = {
  evenIfUnchanged?: boolean;
  /** Told of each record kept at its previous checkpointed head because its chain was damaged. */
  onRefused?: (refusal: CheckpointRefused) => void;
};

/**
 * Publishes a checkpoint of every head; returns null when another node is publishing, or when
 * no head moved since the previous checkpoint (unless `evenIfUnchanged`).
 */
export async function publishCheckpoint(
  db: Kysely<any>,
  signingKey: AuditSigningKey,
  now: Date,
  { evenIfUnchanged = false, onRefused = () => {} }: PublishOptions = {},
): Promise<PublishedCheckpoint | null> {
  return (db as Kysely<AuditTables>).transaction().execute(async (trx) => {
    const lock = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(${PUBLISH_LOCK}) AS locked`.execute(trx);
    if (!lock.rows[0]?.locked) return null;
    const previous = await trx.selectFrom('audit_checkpoint').select(['signature']).orderBy('id', 'desc').limit(1).executeTakeFirst();

    let id: number | null = null;
    const reserveId = async () =>
      (id ??= Number((await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('audit_checkpoint', 'id')) AS id`.execute(trx)).rows[0]!.id));
    const digest = new HeadsDigest();
    const vanished = await vanishedHeads(trx);
    // Their last signed heads, in record_id order among the others, so verification recomputes the digest.
    const addVanishedBefore = (recordId: string | null) => {
      while (vanished.length && (recordId === null || vanished[0]!.record_id < recordId)) {
        const gone = vanished.shift()!;
        onRefused(new CheckpointRefused(gone.record_id, 'lost the head of its history'));
        digest.add(gone.record_id, gone.seq, gone.hash);
      }
    };
    let moved = 0;
    for (let after: string | null = null; ; ) {
      const heads = await headsPage(trx, after);
      const changed: HeadRow[] = [];
      for (const h of heads) {
        addVanishedBefore(h.record_id);
        const signed = headToSign(h, onRefused);
        if (signed === 'moved') changed.push(h);
        if (signed === 'kept') digest.add(h.record_id, h.checkpoint_seq!, h.checkpoint_hash!);
        else if (h.seq > 0) digest.add(h.record_id, h.seq, h.hash);
      }
      if (changed.length) {
        const checkpointId = await reserveId();
        await trx
          .insertInto('audit_checkpoint_head')
          .values(changed.map((h) => ({ record_id: h.record_id, checkpoint_id: checkpointId, seq: h.seq, hash: toBuffer(h.hash) })))
          .execute();
        moved += changed.length;
      }
      if (heads.length < PAGE) break;
      after = heads.at(-1)!.record_id;
    }
    addVanishedBefore(null);
    if (moved === 0 && previous && !evenIfUnchanged) return null;

    const fields = {
      id: await reserveId(),
      createdAt: now,
      recordCount: digest.count,
      headsDigest: digest.digest(),
      previousSignature: previous ? toBuffer(previous.signature) : null,
    };
    await trx
      .insertInto('audit_checkpoint')
      .values({
        id: fields.id,
        created_at: now,
        heads_digest: fields.headsDigest,
        record_count: fields.recordCount,
        signature: signCheckpoint(signingKey, fields),
        public_key: signingKey.publicKey,
      })
      .execute();
    return { id: fields.id, createdAt: now, recordCount: fields.recordCount, movedHeads: moved };
  });
}

type HeadRow = {
  record_id: string;
  seq: number;
  hash: Uint8Array;
  checkpoint_seq: number | null;
  checkpoint_hash: Uint8Array | null;
  /** The hash the chain holds today at the last checkpointed seq. */
  event_hash: Uint8Array | null;
};

function headsPage(trx: Kysely<AuditTables>, after: string | null): Promise<HeadRow[]> {
  let q = trx
    .selectFrom('audit_head as h')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('audit_checkpoint_head as c')
          .select(['c.seq', 'c.hash'])
          .whereRef('c.record_id', '=', 'h.record_id')
          .orderBy('c.checkpoint_id', 'desc')
          .limit(1)
          .as('c'),
      (join) => join.onTrue(),
    )
    .leftJoin('audit_event as e', (join) => join.onRef('e.record_id', '=', 'h.record_id').onRef('e.seq', '=', 'c.seq'))
    .select(['h.record_id', 'h.seq', 'h.hash', 'c.seq as checkpoint_seq', 'c.hash as checkpoint_hash', 'e.hash as event_hash']);
  if (after !== null) q = q.where('h.record_id', '>', after);
  return q.orderBy('h.record_id').limit(PAGE).execute();
}

/**
 * What the checkpoint signs for one head: the head itself (`moved` forward, or `same`), or its
 * previous checkpointed head (`kept`) when the chain did anything but move forward.
 */
function headToSign(h: HeadRow, onRefused: (refusal: CheckpointRefused) => void): 'moved' | 'same' | 'kept' {
  try {
    return headMoved(h) ? 'moved' : 'same';
  } catch (error) {
    if (!(error instanceof CheckpointRefused)) throw error;
    onRefused(error);
    return 'kept';
  }
}

/** True when the head moved forward from its last checkpoint; throws when it did anything else. */
function headMoved(h: HeadRow): boolean {
  if (h.checkpoint_seq === null || h.checkpoint_hash === null) return h.seq > 0;
  if (h.seq === h.checkpoint_seq && sameBytes(h.hash, h.checkpoint_hash)) return false;
  if (h.seq < h.checkpoint_seq) throw new CheckpointRefused(h.record_id, `went back from event ${h.checkpoint_seq} to ${h.seq}`);
  if (!h.event_hash || !sameBytes(h.event_hash, h.checkpoint_hash)) {
    throw new CheckpointRefused(h.record_id, `no longer holds event ${h.checkpoint_seq} as checkpointed`);
  }
  return h.seq > h.checkpoint_seq;
}

/** Records checkpointed before whose head is gone, with their last checkpointed head (rare: tampering). */
async function vanishedHeads(trx: Kysely<AuditTables>): Promise<{ record_id: string; seq: number; hash: Uint8Array }[]> {
  return trx
    .selectFrom('audit_checkpoint_head as c')
    .distinctOn('c.record_id')
    .select(['c.record_id', 'c.seq', 'c.hash'])
    .where((eb) => eb.not(eb.exists(eb.selectFrom('audit_head as h').select('h.record_id').whereRef('h.record_id', '=', 'c.record_id'))))
    .orderBy('c.record_id')
    .orderBy('c.checkpoint_id', 'desc')
    .execute();
}

// ---- Verification -----------------------------------------------------------------------------

export type CheckpointProblemReason = 'untrusted-key' | 'bad-signature' | 'digest-mismatch' | 'head-missing' | 'head-altered';

export type CheckpointProblem = {
  checkpointId: number;
  reason: CheckpointProblemReason;
  /** For head-missing / head-altered: the record and the checkpointed event no longer found as signed. */
  recordId?: string;
  seq?: number;
};

export type CheckpointReport = {
  ok: boolean;
  /** Checkpoints whose signature was checked: all of them, or the latest one for one record. */
  count: number;
  latestId: number | null;
  latestAt: Date | null;
  /** Heads of the latest checkpoint compared with the chains. */
  headsChecked: number;
  problem: CheckpointProblem | null;
};

/**
 * Checks every checkpoint's signature (by a trusted key, over the previous signature), then
 * that the latest checkpoint's heads are still in the chains: the event at each signed seq
 * still exists with the signed hash, and the stored heads give the signed digest again.
 * For one record (`recordId`), a quick check: the latest signature, and that record's signed
 * head against its chain (its stored head is only proven by the digest of a full run).
 */
export async function verifyCheckpoints(
  db: Kysely<any>,
  trustedKeys: Uint8Array | readonly Uint8Array[],
  { recordId }: { recordId?: string } = {},
): Promise<CheckpointReport> {
  const audit = db as Kysely<AuditTables>;
  const keys = Array.isArray(trustedKeys) ? (trustedKeys as readonly Uint8Array[]) : [trustedKeys as Uint8Array];
  const report: CheckpointReport = { ok: true, count: 0, latestId: null, latestAt: null, headsChecked: 0, problem: null };
  const fail = (problem: CheckpointProblem) => ({ ...report, ok: false, problem });

  let latest: { id: number; created_at: Date; heads_digest: Uint8Array; record_count: number } | null = null;
  let previousSignature: Uint8Array | null = null;
  let after = 0;
  if (recordId) {
    // One record: only the latest signature (over its predecessor's); the full run checks them all.
    const lastTwo = await audit.selectFrom('audit_checkpoint').select(['id', 'signature']).orderBy('id', 'desc').limit(2).execute();
    if (lastTwo.length === 2) ({ id: after, signature: previousSignature } = lastTwo[1]!);
  }
  for (;;) {
    const rows = await audit.selectFrom('audit_checkpoint').selectAll().where('id', '>', after).orderBy('id').limit(PAGE).execute();
    for (const c of rows) {
      report.count++;
      if (!keys.some((k) => sameBytes(k, c.public_key))) return fail({ checkpointId: c.id, reason: 'untrusted-key' });
      const fields = { id: c.id, createdAt: c.created_at, recordCount: c.record_count, headsDigest: c.heads_digest, previousSignature };
      if (!checkpointSignatureValid(c.public_key, fields, c.signature)) return fail({ checkpointId: c.id, reason: 'bad-signature' });
      previousSignature = c.signature;
      latest = c;
      report.latestId = c.id;
      report.latestAt = c.created_at;
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.id;
  }
  if (!latest) return report;

  const digest = new HeadsDigest();
  for (let after: string | null = null; ; ) {
    const heads = await signedHeadsPage(audit, latest.id, recordId ?? null, after);
    for (const h of heads) {
      report.headsChecked++;
      if (!h.event_hash) return fail({ checkpointId: latest.id, reason: 'head-missing', recordId: h.record_id, seq: h.seq });
      if (!sameBytes(h.event_hash, h.hash)) return fail({ checkpointId: latest.id, reason: 'head-altered', recordId: h.record_id, seq: h.seq });
      digest.add(h.record_id, h.seq, h.hash);
    }
    if (heads.length < PAGE) break;
    after = heads.at(-1)!.record_id;
  }
  if (!recordId && (digest.count !== latest.record_count || !sameBytes(digest.digest(), latest.heads_digest))) {
    return fail({ checkpointId: latest.id, reason: 'digest-mismatch' });
  }
  return report;
}

/** Each record's head as of checkpoint `upTo`: its latest stored head at or before it. */
function signedHeadsPage(db: Kysely<AuditTables>, upTo: number, recordId: string | null, after: string | null) {
  let q = db
    .selectFrom('audit_checkpoint_head as c')
    .leftJoin('audit_event as e', (join) => join.onRef('e.record_id', '=', 'c.record_id').onRef('e.seq', '=', 'c.seq'))
    .distinctOn('c.record_id')
    .select(['c.record_id', 'c.seq', 'c.hash', 'e.hash as event_hash'])
    .where('c.checkpoint_id', '<=', upTo);
  if (recordId !== null) q = q.where('c.record_id', '=', recordId.toLowerCase());
  if (after !== null) q = q.where('c.record_id', '>', after);
  return q.orderBy('c.record_id').orderBy('c.checkpoint_id', 'desc').limit(PAGE).execute();
}

// ---- The periodic publisher -------------------------------------------------------------------

export interface CheckpointPublisher {
  stop(): Promise<void>;
}

/**
 * Publishes a checkpoint now and then every `intervalMs` (AUDIT_CHECKPOINT_MINUTES: the events
 * after the last checkpoint are guarded by the chain's MACs only, which do not stop whoever
 * holds the master key, nor an older copy of a history put back). Any node may run one: the database
 * lock lets one publish at a time. A refused head means a history was tampered with: it is
 * logged as an error naming the record, which stays at its last checkpointed head until it is
 * resolved, while the other records go on being checkpointed.
 */
export function startCheckpointPublisher(
  ctx: AppContext,
  { intervalMs = ctx.config.AUDIT_CHECKPOINT_MINUTES * 60_000 } = {},
): CheckpointPublisher {
  const key = resolveAuditSigningKey(ctx.config, ctx.masterKey);
  return repeatEvery(intervalMs, async () => {
    try {
      const onRefused = (refusal: CheckpointRefused) => ctx.logger.error({ recordId: refusal.recordId }, refusal.message);
      const published = await publishCheckpoint(ctx.database.db, key, ctx.clock.now(), { onRefused });
      if (published) ctx.logger.info({ checkpoint: published.id, records: published.recordCount, moved: published.movedHeads }, 'audit checkpoint published');
    } catch (err) {
      ctx.logger.warn({ err }, 'audit checkpoint round failed');
    }
  });
}
