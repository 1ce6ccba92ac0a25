import { randomUUID } from 'node:crypto';
import type { AppContext } from '../platform';
import { AppError } from '../platform';
import { traceEventAndNotify } from '../events';
import type { AuditAction } from '../audit';
import { dataKeyFor, openForRecord, sealForRecord } from '../platform';
import type { Professional } from '../accounts';
import { decide } from './policy';
import { loadAccessState, sharingDb, type LoadedRecord } from './state';
import { BREAK_GLASS_DURATION_MS, type AccessContext, type AccessRequest, type Action, type Actor, type DocumentAccessState } from './types';

/**
 * A professional's access to one record: the actor, the record's facts, the
 * emergency access in force, and `check`, which asks the policy, traces the
 * decision (allowed or denied, with its rule) and refuses with its sentence.
 */

export interface ProfessionalAccess {
  actor: Actor;
  loaded: LoadedRecord;
  context: AccessContext;
  /** Decides, traces, and throws a 403 with the policy's explanation when denied. */
  check(
    action: Action,
    document?: DocumentAccessState,
    audit?: { action: AuditAction; documentId?: string; tracedOnSuccessBy?: 'caller' },
  ): Promise<{ explanation: string; rule: string }>;
  /** Decides without tracing (to filter a list already traced as a whole). */
  allows(action: Action, document?: DocumentAccessState): boolean;
  /** The decision and its sentence, without tracing: what the screen says before anything is opened. */
  preview(action: Action): { allowed: boolean; rule: string; explanation: string };
}

export function actorOf(pro: Professional): Actor {
  return {
    kind: 'professional',
    id: pro.rpps,
    displayName: pro.name,
    profession: pro.profession,
    ...(pro.specialty ? { specialty: pro.specialty } : {}),
    ...(pro.role ? { role: pro.role } : {}),
  };
}

const AUDIT_OF: Partial<Record<Action, AuditAction>> = {
  list: 'read-list',
  read: 'open-document',
  deposit: 'deposit',
  replace: 'replace',
  delete: 'delete',
  'make-visible-to-patient': 'make-visible',
};

export async function professionalAccess(ctx: AppContext, pro: Professional, recordId: string): Promise<ProfessionalAccess> {
  const loaded = await loadAccessState(ctx, recordId);
  const actor = actorOf(pro);
  const now = ctx.clock.now();
  const emergency = await emergencyContext(ctx, recordId, pro.rpps, now);
  // An occupational doctor acts within the consultation the worker consented to (the latest one in force).
  const consultation = loaded.state.occupationalConsents.find((c) => c.professionalId === pro.rpps);
  const context: AccessContext = consultation ? { ...emergency, consultationId: consultation.consultationId } : emergency;
  const request = (action: Action, document?: DocumentAccessState): AccessRequest => ({
    actor,
    record: loaded.state,
    action,
    context,
    ...(document ? { document } : {}),
  });
  return {
    actor,
    loaded,
    context,
    allows: (action, document) => decide(request(action, document)).allowed,
    preview: (action) => decide(request(action)),
    async check(action, document, audit) {
      const decision = decide(request(action, document));
      // A deposit is traced once stored, in its own transaction (see pro-routes); a refusal now.
      if (decision.allowed && audit?.tracedOnSuccessBy === 'caller') return { explanation: decision.explanation, rule: decision.rule };
      await traceEventAndNotify(ctx, {
        recordId,
        actorKind: 'professional',
        actorId: pro.rpps,
        action: audit?.action ?? AUDIT_OF[action] ?? 'read-list',
        documentId: audit ? (audit.documentId ?? null) : (document?.id ?? null),
        rule: decision.rule,
        allowed: decision.allowed,
        personal: { actorName: pro.name, profession: pro.profession, workplace: pro.workplace.name },
      });
      if (!decision.allowed) throw new AppError(403, 'access-denied', 'Accès refusé', decision.explanation);
      return { explanation: decision.explanation, rule: decision.rule };
    },
  };
}

/** The emergency access this professional opened on this record in the last 24 hours, if any. */
async function emergencyContext(ctx: AppContext, recordId: string, rpps: string, now: Date): Promise<AccessContext> {
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
  });
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
