import { randomUUID } from 'node:crypto';
import type { AppContext } from '../platform';
import { sharingDb } from './state';

/**
 * The patient's consent as a professional declares it: it authorizes that
 * professional on the record. Whether the declaration may be made (record
 * closed, professional blocked) is decided and traced by the door first.
 */

/** The worker's consent to the occupational doctor lasts the consultation, not beyond. */
const OCCUPATIONAL_CONSULTATION_MS = 4 * 3600_000;

/**
 * The patient, present, said yes to the record with this professional: that
 * consent authorizes them. An authorization already there is left as it is.
 */
export async function authorizeAfterInPersonCreation(ctx: AppContext, recordId: string, rpps: string): Promise<void> {
  await sharingDb(ctx)
    .insertInto('record_authorization')
    .values({ record_id: recordId, rpps, basis: 'consent_declared', granted_at: ctx.clock.now(), revoked_at: null })
    .onConflict((oc) => oc.columns(['record_id', 'rpps']).doNothing())
    .execute();
}

/** A new consent outweighs an earlier revocation: the authorization is given afresh. */
export async function authorizeOnDeclaredConsent(ctx: AppContext, recordId: string, rpps: string): Promise<void> {
  const now = ctx.clock.now();
  await sharingDb(ctx)
    .insertInto('record_authorization')
    .values({ record_id: recordId, rpps, basis: 'consent_declared', granted_at: now, revoked_at: null })
    .onConflict((oc) => oc.columns(['record_id', 'rpps']).doUpdateSet({ basis: 'consent_declared', granted_at: now, revoked_at: null }))
    .execute();
}

/** Returns when the consent ends. */
export async function recordOccupationalConsent(ctx: AppContext, recordId: string, rpps: string, consultationId: string): Promise<Date> {
  const now = ctx.clock.now();
  const until = new Date(now.getTime() + OCCUPATIONAL_CONSULTATION_MS);
  await sharingDb(ctx)
    .insertInto('record_occupational_consent')
    .values({ record_id: recordId, consent_id: randomUUID(), rpps, consultation_id: consultationId, given_at: now, until })
    .execute();
  return until;
}
