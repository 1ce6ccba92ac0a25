import type { Kysely } from 'kysely';
import type { AppContext } from '../platform';
import { dataKeyFor, openForRecord, sealForRecord } from '../platform';
import { appendEvent, type AuditEventInput, type PersonalCipher } from './trail';

/**
 * How the service writes its access history: the personal part of each event
 * is sealed under the patient's own data key, so that destroying the record's
 * key (definitive deletion) erases it while the chain stays verifiable.
 */

const PURPOSE = 'audit-personal';

/** The cipher reads the record's key through `db`: inside a transaction, pass the transaction. */
export function auditCipher(db: Kysely<any>, masterKey: Buffer, now: Date): PersonalCipher {
  return {
    seal: async (recordId, plaintext) => sealForRecord(await dataKeyFor(db, masterKey, recordId, now), recordId, PURPOSE, plaintext),
    open: async (recordId, sealed) => openForRecord(await dataKeyFor(db, masterKey, recordId, now), recordId, PURPOSE, sealed),
  };
}

/** Appends an event in the caller's transaction: it is kept if and only if the traced change is. */
export async function traceInTransaction(ctx: AppContext, trx: Kysely<any>, event: AuditEventInput): Promise<void> {
  const now = ctx.clock.now();
  await appendEvent(trx, event, auditCipher(trx, ctx.masterKey, now), now);
}

/** Appends an event on its own (reads, and refusals, which must be kept although nothing changed). */
export async function traceEvent(ctx: AppContext, event: AuditEventInput): Promise<void> {
  await ctx.database.db.transaction().execute((trx) => traceInTransaction(ctx, trx, event));
}
