/**
 * Random access requests from a seeded generator, for the property test and the benchmark (test
 * support, not used by the application). Ids come from a small pool, and the record's lists often
 * name the actor, so that both allowed and denied paths come up.
 */
import { DOCUMENT_CATEGORIES } from '../../src/access/matrix';
import {
  ACTIONS,
  type AccessRequest,
  type Action,
  type Actor,
  type ActorKind,
  type DocumentAccessState,
  type RecordAccessState,
} from '../../src/access/types';

/** mulberry32: small, fast, good enough to spread test cases. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR = 3_600_000;
const BASE = Date.parse('2026-03-12T09:00:00Z');
const IDS = ['p1', 'p2', 'r1', 'a1', 'd1', 'd2', 'd3', 'd4', 'x'];
const PROFESSIONS = ['G15_10', 'G15_21', 'G15_60', 'G15_70', 'G15_40', 'G15_50', 'G15_36', 'G15_99', undefined];
const SPECIALTIES = ['SM54', 'SM59', 'SM25', 'C41', 'CAPA11', 'SM04', undefined];
const KINDS = ['patient', 'representative', 'caregiver', 'professional', 'professional', 'professional', 'agent', 'system', 'insurer', 'employer'];

export function randomRequestGenerator(seed: number): () => AccessRequest {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const subset = (items: readonly string[], p: number) => items.filter(() => chance(p));

  return () => {
    const now = new Date(BASE + Math.floor(random() * 1000 * HOUR));
    const kind = pick(KINDS) as ActorKind;
    const profession = pick(PROFESSIONS);
    const specialty = pick(SPECIALTIES);
    const actor: Actor = {
      kind,
      id: chance(0.02) ? '' : pick(IDS),
      ...(chance(0.5) ? { displayName: pick(['le Dr Martin', 'Mme Petit', '  ', 'marie']) } : {}),
      ...(profession === undefined ? {} : { profession }),
      ...(specialty === undefined ? {} : { specialty }),
      ...(chance(0.2) ? { role: 'samu_regulator' as const } : {}),
      ...(chance(0.5) ? { systemRole: 'insurance_feed' as const } : {}),
    };
    // Each list is random, and often names the actor, so that allowed paths are exercised too.
    const withActor = (ids: string[], p: number) => (chance(p) && !ids.includes(actor.id) ? [...ids, actor.id] : ids);
    const consultationId = chance(0.7) ? pick(['c1', 'c2']) : undefined;
    const record: RecordAccessState = {
      patientId: chance(0.4) ? actor.id : pick(IDS),
      status: chance(0.3) ? 'closed' : 'active',
      treatingDoctorId: chance(0.2) ? null : chance(0.2) ? actor.id : pick(IDS),
      authorizedProfessionals: withActor(subset(IDS, 0.3), 0.4).map((professionalId) => ({
        professionalId,
        basis: chance(0.5) ? ('care_team' as const) : ('consent_declared' as const),
      })),
      blockedProfessionalIds: withActor(subset(IDS, 0.15), 0.2),
      emergency: { breakGlassAllowed: chance(0.6), samuAllowed: chance(0.6), maskedVisibleInEmergency: chance(0.5) },
      representativeIds: withActor(subset(IDS, 0.2), 0.4),
      caregiverIds: withActor(subset(IDS, 0.2), 0.4),
      occupationalConsents: withActor(subset(IDS, 0.2), 0.5).map((professionalId) => ({
        professionalId,
        consultationId: chance(0.6) && consultationId !== undefined ? consultationId : pick(['c1', 'c2']),
        until: new Date(now.getTime() + Math.floor((random() - 0.3) * 4 * HOUR)),
      })),
    };
    const document: DocumentAccessState | undefined = chance(0.08)
      ? undefined
      : {
          id: 'doc',
          category: pick(DOCUMENT_CATEGORIES),
          authorId: chance(0.3) ? actor.id : pick(IDS),
          authorKind: pick(['patient', 'representative', 'caregiver', 'professional', 'professional', 'system'] as const),
          masked: chance(0.4),
          hiddenFromPatient: chance(0.25),
          hiddenFromRepresentatives: chance(0.25),
          status: pick(['current', 'current', 'replaced', 'deleted'] as const),
        };
    const mode = pick(['normal', 'break-glass', 'break-glass', 'samu'] as const);
    const startedAt = new Date(now.getTime() - Math.floor((random() * 50 - 2) * HOUR));
    return {
      actor,
      record,
      ...(document === undefined ? {} : { document }),
      action: chance(0.01) ? ('teleport' as Action) : pick(ACTIONS),
      context: {
        now,
        mode,
        ...(chance(0.85) ? { breakGlass: { reason: pick(['Coma', 'Détresse respiratoire', '', '   ']), startedAt } } : {}),
        ...(consultationId === undefined ? {} : { consultationId }),
      },
    };
  };
}
