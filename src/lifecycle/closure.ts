/**
 * Closing and reactivating a record (DOMAIN.md §7). Closed, a record is kept ten years: no
 * professional reads or feeds it (the access policy refuses them with 'record-closed'), nothing
 * in it changes, and its titulaire may still look at it, take a copy of it, reactivate it or
 * have it destroyed at once. Each change is traced with the patient's notice in its transaction.
 */
import { markRecordClosed, markRecordReactivated } from '../records';
import type { AuditEventInput } from '../audit';
import type { AppContext } from '../platform';
import { traceAndNotify } from '../events';

export type LifecycleEvent = Pick<AuditEventInput, 'recordId' | 'actorKind' | 'actorId' | 'rule'>;

/** Closes an active record; false when it was not active any more (nothing changed, nothing traced). */
export async function closeRecord(ctx: AppContext, event: LifecycleEvent): Promise<boolean> {
  const now = ctx.clock.now();
  return ctx.database.db.transaction().execute(async (trx) => {
    if (!(await markRecordClosed(trx, event.recordId, now))) return false;
    await traceAndNotify(ctx, trx, { ...event, action: 'close', allowed: true });
    return true;
  });
}

/** Reopens a closed record; false when it was not closed any more. */
export async function reactivateRecord(ctx: AppContext, event: LifecycleEvent): Promise<boolean> {
  return ctx.database.db.transaction().execute(async (trx) => {
    if (!(await markRecordReactivated(trx, event.recordId))) return false;
    await traceAndNotify(ctx, trx, { ...event, action: 'reactivate', allowed: true });
    return true;
  });
}
