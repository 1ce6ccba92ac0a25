import type { AppContext } from '../platform';
import { AppError } from '../platform';
import { findProfessional } from '../directory';
import { loadAccessState, sharingDb } from './state';
import type { AuthorizationBasis, RecordAccessState } from './types';

/**
 * What the patient (or a legal representative) changes in «Gestion du DMP»:
 * the authorizations given and the professionals blocked. Who may make these
 * changes is the door's to check; this keeps the rules that hold whoever asks.
 */

export interface AuthorizationGiven {
  rpps: string;
  basis: AuthorizationBasis;
  grantedAt: Date;
}

/** The authorizations in force, the most recent first. */
export async function listAuthorizations(ctx: AppContext, recordId: string): Promise<AuthorizationGiven[]> {
  const rows = await sharingDb(ctx)
    .selectFrom('record_authorization')
    .select(['rpps', 'basis', 'granted_at'])
    .where('record_id', '=', recordId)
    .where('revoked_at', 'is', null)
    .orderBy('granted_at', 'desc')
    .execute();
  return rows.map((r) => ({ rpps: r.rpps, basis: r.basis, grantedAt: r.granted_at }));
}

/** Every authorization given, revoked ones too (with when), and every block in force, with its date. */
export interface SharingSettings {
  authorizations: (AuthorizationGiven & { revokedAt: Date | null })[];
  blocks: { rpps: string; blockedAt: Date }[];
}

/** What the sharing settings hold, as a door shows them to a reader the policy allows (the FHIR Consents). */
export async function sharingSettings(ctx: AppContext, recordId: string): Promise<SharingSettings> {
  const [authorizations, blocks] = await Promise.all([
    sharingDb(ctx)
      .selectFrom('record_authorization')
      .select(['rpps', 'basis', 'granted_at', 'revoked_at'])
      .where('record_id', '=', recordId)
      .orderBy('granted_at', 'desc')
      .execute(),
    sharingDb(ctx).selectFrom('record_block').select(['rpps', 'blocked_at']).where('record_id', '=', recordId).orderBy('blocked_at', 'desc').execute(),
  ]);
  return {
    authorizations: authorizations.map((r) => ({ rpps: r.rpps, basis: r.basis, grantedAt: r.granted_at, revokedAt: r.revoked_at })),
    blocks: blocks.map((b) => ({ rpps: b.rpps, blockedAt: b.blocked_at })),
  };
}

export async function revokeAuthorization(ctx: AppContext, recordId: string, rpps: string): Promise<void> {
  const revoked = await sharingDb(ctx)
    .updateTable('record_authorization')
    .set({ revoked_at: ctx.clock.now() })
    .where('record_id', '=', recordId)
    .where('rpps', '=', rpps)
    .where('revoked_at', 'is', null)
    .returning('rpps')
    .executeTakeFirst();
  if (!revoked) throw new AppError(404, 'not-found', 'Introuvable', 'Ce professionnel n’a pas d’autorisation à retirer.');
}

/** The médecin traitant coordinates the patient's care: the patient changes doctor rather than blocking them. */
export function mayBeBlocked(record: Pick<RecordAccessState, 'treatingDoctorId'>, rpps: string): boolean {
  return record.treatingDoctorId !== rpps;
}

export async function blockProfessional(ctx: AppContext, recordId: string, rpps: string): Promise<void> {
  const { state } = await loadAccessState(ctx, recordId);
  if (!mayBeBlocked(state, rpps)) {
    throw new AppError(409, 'treating-doctor', 'Blocage impossible', 'Votre médecin traitant ne peut pas être bloqué. Pour cela, changez d’abord de médecin traitant.');
  }
  if (!(await findProfessional(ctx.database, rpps))) {
    throw new AppError(404, 'not-found', 'Introuvable', 'Ce professionnel n’existe pas dans l’annuaire.');
  }
  const now = ctx.clock.now();
  await sharingDb(ctx)
    .transaction()
    .execute(async (trx) => {
      await trx
        .insertInto('record_block')
        .values({ record_id: recordId, rpps, blocked_at: now })
        .onConflict((oc) => oc.columns(['record_id', 'rpps']).doNothing())
        .execute();
      // A block also ends the authorization: unblocking later must not silently give access back.
      await trx
        .updateTable('record_authorization')
        .set({ revoked_at: now })
        .where('record_id', '=', recordId)
        .where('rpps', '=', rpps)
        .where('revoked_at', 'is', null)
        .execute();
    });
}

export async function unblockProfessional(ctx: AppContext, recordId: string, rpps: string): Promise<void> {
  await sharingDb(ctx).deleteFrom('record_block').where('record_id', '=', recordId).where('rpps', '=', rpps).execute();
}
