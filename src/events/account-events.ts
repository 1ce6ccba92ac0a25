import { traceEventAndNotify } from './patient-notices';
import type { AuditAction } from '../audit';
import type { AppContext } from '../platform';
import { actorKindOf } from '../records';
import { accountsDb } from '../accounts';
import { recordsOfAccount } from '../records';
import type { AccountEventSink } from '../accounts';

/**
 * Account events (logins, settings) are traced in the history of the records
 * the account acts on, so the patient sees them where they see every access.
 */
export async function traceAccountEvent(
  ctx: AppContext,
  loginId: string,
  action: AuditAction,
  allowed: boolean,
  rule: string,
  details?: Record<string, string | boolean>,
): Promise<void> {
  const records = await recordsOfAccount(accountsDb(ctx), loginId);
  for (const r of records) {
    await traceEventAndNotify(ctx, {
      recordId: r.recordId,
      actorKind: actorKindOf(r.role),
      actorId: loginId,
      action,
      allowed,
      // A caregiver's own login and settings are theirs, not the titulaire's.
      rule: r.role === 'caregiver' && rule === 'titulaire' ? 'caregiver' : rule,
      personal: details ? { details } : null,
    });
  }
}

/** The sink the doors hand to the account flows (accounts/account-events.ts). */
export const accountEvents =
  (ctx: AppContext): AccountEventSink =>
  (loginId, action, allowed, rule, details) =>
    traceAccountEvent(ctx, loginId, action, allowed, rule, details);
