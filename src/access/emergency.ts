import { randomUUID } from 'node:crypto';
import type { AppContext } from '../platform';
import { AppError, dataKeyFor, openForRecord, sealForRecord } from '../platform';
import { traceEventAndNotify } from '../events';
import type { Professional } from '../accounts';
import { actorOf } from './actors';
import { decide } from './policy';
import { loadAccessState, sharingDb } from './state';
import { BREAK_GLASS_DURATION_MS, type AccessContext } from './types';

/**
 * Emergency access (DOMAIN.md §4): the bris de glace of a professional in an emergency, or the
 * SAMU regulator's, opened for 24 hours with its reason sealed under the record's key.
 */

/** The emergency access this professional opened on this record in the last 24 hours, if any. */
export async function emergencyContext(ctx: AppContext, recordId: string, rpps: string, now: Date): Promise<AccessContext> {
  const since = new Date(now.getTime() - BREAK_GLASS_DURATION_MS);
  const row = await sharingDb(ctx)
    .selectFrom('record_emergency_access')
    .selectAll()
    .where('record_id', '=', recordId)
    .where('rpps', '=', rpps)
    .where('started_at', '>', since)
    .orderBy('started_at', 'desc')
    .executeTakeFirst();
  if (!row) return { now, mode: 'normal' };
  const key = await dataKeyFor(ctx.database.db, ctx.masterKey, recordId, now);
  const reason = openForRecord(key, recordId, `emergency-reason:${row.access_id}`, row.reason_sealed).toString('utf8');
  return { now, mode: row.mode, breakGlass: { reason, startedAt: row.started_at } };
}

/** Opens an emergency access (bris de glace, or the SAMU regulator's), if the policy allows it. */
export async function openEmergencyAccess(
  ctx: AppContext,
  pro: Professional,
  recordId: string,
  mode: 'break-glass' | 'samu',
  reason: string,
): Promise<string> {
  const loaded = await loadAccessState(ctx, recordId);
  const now = ctx.clock.now();
  const decision = decide({
    actor: actorOf(pro),
    record: loaded.state,
    action: 'list',
    context: { now, mode, breakGlass: { reason, startedAt: now } },
  }, 'professional'); // the professional who opens it reads the sentence
  const accessId = randomUUID();
  await traceEventAndNotify(ctx, {
    recordId,
    actorKind: 'professional',
    actorId: pro.rpps,
    action: 'emergency-access',
    rule: decision.rule,
    allowed: decision.allowed,
    personal: { actorName: pro.name, profession: pro.profession, workplace: pro.workplace.name, reason },
  });
  if (!decision.allowed) throw new AppError(403, 'access-denied', 'Accès refusé', decision.explanation);
  const key = await dataKeyFor(ctx.database.db, ctx.masterKey, recordId, now);
  await sharingDb(ctx)
    .insertInto('record_emergency_access')
    .values({
      record_id: recordId,
      access_id: accessId,
      rpps: pro.rpps,
      mode,
      reason_sealed: sealForRecord(key, recordId, `emergency-reason:${accessId}`, Buffer.from(reason, 'utf8')),
      started_at: now,
    })
    .execute();
  return decision.explanation;
}
