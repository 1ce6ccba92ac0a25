import { createHmac } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { sameBytes, type ChainScheme } from './chain';
import { toBuffer, type AuditTables } from './tables';

/**
 * Histories begun before the keyed chain (migration 0018). Their events before `keyed_from`
 * stay plain SHA-256; the boundary is sealed with the chain's key at the service's first start
 * after the migration, so that it cannot be raised later to pass a rewritten keyed tail off as
 * legacy. A row whose seal does not verify is ignored: the record is then keyed from seq 1, and
 * any unkeyed event in it is reported as altered.
 */

const PAGE = 5_000;
const LEGACY_TAG = Buffer.from('opendmp:audit-keyed-from:v1\n');
const KEYING_TAG = Buffer.from('opendmp:audit-keying:v1\n');

function u64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(BigInt(value));
  return bytes;
}

function legacyTag(macKey: Buffer, recordId: string, keyedFrom: number): Buffer {
  const id = Buffer.from(recordId.toLowerCase().replaceAll('-', ''), 'hex');
  return createHmac('sha256', macKey).update(LEGACY_TAG).update(id).update(u64(keyedFrom)).digest();
}

function keyingTag(macKey: Buffer, beganAt: Date, legacyRecords: number): Buffer {
  return createHmac('sha256', macKey).update(KEYING_TAG).update(u64(beganAt.getTime())).update(u64(legacyRecords)).digest();
}

/** Each record's chain scheme: keyed from its sealed legacy boundary, or from its first event. */
export async function chainSchemes(db: Kysely<AuditTables>, macKey: Buffer, recordIds: readonly string[]): Promise<Map<string, ChainScheme>> {
  const schemes = new Map(recordIds.map((id) => [id, { macKey, keyedFrom: 1 }]));
  if (recordIds.length === 0) return schemes;
  const rows = await db
    .selectFrom('audit_chain_legacy')
    .select(['record_id', 'keyed_from', 'tag'])
    .where('record_id', 'in', [...recordIds])
    .where('tag', 'is not', null)
    .execute();
  for (const row of rows) {
    if (sameBytes(toBuffer(row.tag!), legacyTag(macKey, row.record_id, Number(row.keyed_from)))) {
      schemes.set(row.record_id, { macKey, keyedFrom: Number(row.keyed_from) });
    }
  }
  return schemes;
}

export type KeyingState = 'sealed' | 'sealed-now' | 'tampered' | 'absent';

/**
 * Seals the legacy boundaries written by migration 0018, once: run at start, before the service
 * appends anything. Returns 'tampered' (and seals nothing) when the keying was already sealed
 * once (its seal no longer verifies, or legacy rows carry tags while the keying seal is gone):
 * sealing again would seal rows added since by someone without the key.
 */
export async function sealLegacyChains(db: Kysely<any>, macKey: Buffer): Promise<{ state: KeyingState; sealed: number; refused: string[] }> {
  return (db as Kysely<AuditTables>).transaction().execute(async (trx) => {
    const keying = await trx.selectFrom('audit_chain_keying').selectAll().where('id', '=', 1).forUpdate().executeTakeFirst();
    if (!keying) return { state: 'absent', sealed: 0, refused: [] };
    const legacyRecords = Number(keying.legacy_records);
    if (keying.tag) {
      const valid = sameBytes(toBuffer(keying.tag), keyingTag(macKey, keying.began_at, legacyRecords));
      return { state: valid ? 'sealed' : 'tampered', sealed: 0, refused: [] };
    }
    const alreadyTagged = await trx.selectFrom('audit_chain_legacy').select('record_id').where('tag', 'is not', null).limit(1).executeTakeFirst();
    if (alreadyTagged) return { state: 'tampered', sealed: 0, refused: [] };

    let sealed = 0;
    const refused: string[] = [];
    for (let after: string | null = null; ; ) {
      let q = trx
        .selectFrom('audit_chain_legacy as l')
        .leftJoin('audit_head as h', 'h.record_id', 'l.record_id')
        .select(['l.record_id', 'l.keyed_from', 'h.seq']);
      if (after !== null) q = q.where('l.record_id', '>', after);
      const rows = await q.orderBy('l.record_id').limit(PAGE).execute();
      // A boundary past the head would call unkeyed events that do not exist yet legacy: never sealed.
      const valid = rows.filter((r) => r.seq !== null && Number(r.keyed_from) <= Number(r.seq) + 1);
      refused.push(...rows.filter((r) => !valid.includes(r)).map((r) => r.record_id));
      if (valid.length) {
        const values = valid.map((r) => sql`(${r.record_id}::uuid, ${legacyTag(macKey, r.record_id, Number(r.keyed_from))}::bytea)`);
        await sql`UPDATE audit_chain_legacy AS l SET tag = v.tag FROM (VALUES ${sql.join(values)}) AS v(record_id, tag)
                  WHERE l.record_id = v.record_id`.execute(trx);
        sealed += valid.length;
      }
      if (rows.length < PAGE) break;
      after = rows.at(-1)!.record_id;
    }
    await trx.updateTable('audit_chain_keying').set({ tag: keyingTag(macKey, keying.began_at, legacyRecords) }).where('id', '=', 1).execute();
    return { state: 'sealed-now', sealed, refused };
  });
}
