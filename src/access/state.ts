import type { AppContext } from '../platform';
import { findRecord, membersOf, type RecordFacts, type RecordRole } from '../records';
import { findInsuredPerson, type InsuredPersonRecord } from '../directory';
import type { SharingTables } from './tables';
import type { RecordAccessState } from './types';

/**
 * Gathers what the policy needs to know of a record, from the modules that
 * hold it: status and switches (accounts), the médecin traitant (directory),
 * authorizations and blocks (this module). One place, so that every door
 * (screens, JSON API, FHIR) decides on the same facts.
 */
export interface LoadedRecord {
  facts: RecordFacts;
  /** The titulaire in the insured-persons directory (read anyway for the médecin traitant). */
  person: InsuredPersonRecord | null;
  state: RecordAccessState;
  holderLoginId: string | null;
  /** Who belongs to the record: its holder, representatives and caregivers, with their role. */
  members: { loginId: string; role: RecordRole }[];
}

export const sharingDb = (ctx: Pick<AppContext, 'database'>) => ctx.database.db.withTables<SharingTables>();

export async function loadAccessState(ctx: AppContext, recordId: string): Promise<LoadedRecord> {
  const facts = await findRecord(ctx, recordId);
  const now = ctx.clock.now();
  const [accounts, person, authorizations, blocks, occupational] = await Promise.all([
    membersOf(ctx.database.db, recordId),
    findInsuredPerson(ctx, facts.insMatricule),
    sharingDb(ctx).selectFrom('record_authorization').select(['rpps', 'basis']).where('record_id', '=', recordId).where('revoked_at', 'is', null).execute(),
    sharingDb(ctx).selectFrom('record_block').select('rpps').where('record_id', '=', recordId).execute(),
    sharingDb(ctx)
      .selectFrom('record_occupational_consent')
      .select(['rpps', 'consultation_id', 'until'])
      .where('record_id', '=', recordId)
      .where('until', '>=', now)
      .orderBy('given_at', 'desc')
      .execute(),
  ]);
  const holder = accounts.find((a) => a.role === 'holder')?.loginId ?? null;
  return {
    facts,
    person: person ?? null,
    holderLoginId: holder,
    members: accounts,
    state: {
      patientId: holder ?? `record:${recordId}`,
      status: facts.status,
      treatingDoctorId: person?.treatingDoctorRpps ?? null,
      authorizedProfessionals: authorizations.map((a) => ({ professionalId: a.rpps, basis: a.basis })),
      blockedProfessionalIds: blocks.map((b) => b.rpps),
      emergency: { breakGlassAllowed: facts.allowBreakGlass, samuAllowed: facts.allowSamu, maskedVisibleInEmergency: facts.allowMaskedInEmergency },
      representativeIds: accounts.filter((a) => a.role === 'legal_representative').map((a) => a.loginId),
      caregiverIds: accounts.filter((a) => a.role === 'caregiver').map((a) => a.loginId),
      occupationalConsents: occupational.map((c) => ({ professionalId: c.rpps, consultationId: c.consultation_id, until: c.until })),
    },
  };
}
