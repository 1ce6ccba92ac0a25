/**
 * Properties that must hold for ANY request, checked on many random ones drawn from a seeded
 * generator (set ACCESS_PROPERTY_SEED to explore other seeds; a failure prints its seed and the
 * request).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROFESSION_MATRIX } from './matrix';
import { decide } from './policy';
import { randomRequestGenerator } from '../../test/helpers/random-requests';
import { BREAK_GLASS_DURATION_MS, RULE_IDS, type AccessRequest, type Action } from './types';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

// Plain restatements the properties need, written here without the policy's helpers.
const isProfessional = (r: AccessRequest) => r.actor.kind === 'professional';
const isTreating = (r: AccessRequest) => r.record.treatingDoctorId !== null && r.record.treatingDoctorId === r.actor.id;
const isOccupational = (r: AccessRequest) =>
  r.actor.profession === 'G15_10' && ['SM25', 'C41', 'CAPA11'].includes(r.actor.specialty ?? '');
const isAuthor = (r: AccessRequest) => r.document?.authorKind === 'professional' && r.document.authorId === r.actor.id;
/** Export is a record-level permission: the copy holds only what 'read' allows, document by
 * document, so document-level properties look at read and list. */
const readsDocument = (action: Action) => action === 'read' || action === 'list';

function emergencyOpen(r: AccessRequest): boolean {
  const { context, record, actor } = r;
  if (context.mode === 'samu') return actor.role === 'samu_regulator' && record.emergency.samuAllowed;
  if (context.mode !== 'break-glass' || context.breakGlass === undefined) return false;
  const elapsed = context.now.getTime() - context.breakGlass.startedAt.getTime();
  return (
    record.emergency.breakGlassAllowed &&
    context.breakGlass.reason.trim() !== '' &&
    elapsed >= 0 &&
    elapsed < BREAK_GLASS_DURATION_MS
  );
}

const PROPERTIES: ReadonlyArray<readonly [name: string, applies: (r: AccessRequest) => boolean, holds: (r: AccessRequest, allowed: boolean) => boolean]> = [
  [
    'a blocked professional who is not the médecin traitant is denied everything',
    (r) => isProfessional(r) && r.record.blockedProfessionalIds.includes(r.actor.id) && !isTreating(r),
    (_r, allowed) => !allowed,
  ],
  [
    'an insurance agent never reads medical content (it may only create a record)',
    (r) => r.actor.kind === 'agent',
    (r, allowed) => !allowed || r.action === 'create-record',
  ],
  [
    'a closed record is readable by its titulaire only',
    (r) => r.record.status === 'closed' && (readsDocument(r.action) || r.action === 'export' || r.action === 'read-history'),
    (r, allowed) => !allowed || (r.actor.kind === 'patient' && r.actor.id === r.record.patientId),
  ],
  [
    'a closed record changes only by its reactivation (or the titulaire’s own login)',
    (r) => r.record.status === 'closed',
    (r, allowed) =>
      !allowed ||
      (r.actor.kind === 'patient' && r.actor.id === r.record.patientId) ||
      (r.actor.kind === 'representative' && r.action === 'reactivate'),
  ],
  [
    'a masked document is read by a professional only as author, médecin traitant, or in an emergency that opens masked documents',
    (r) => isProfessional(r) && r.document?.masked === true && (r.action === 'read' || r.action === 'list'),
    (r, allowed) =>
      !allowed || isAuthor(r) || isTreating(r) || (emergencyOpen(r) && r.record.emergency.maskedVisibleInEmergency),
  ],
  [
    'a masked document is never read by a caregiver',
    (r) => r.actor.kind === 'caregiver' && r.document?.masked === true && readsDocument(r.action),
    (_r, allowed) => !allowed,
  ],
  [
    'a document hidden from the patient is never read on the patient’s side',
    (r) =>
      ['patient', 'representative', 'caregiver'].includes(r.actor.kind) &&
      r.document?.hiddenFromPatient === true &&
      readsDocument(r.action),
    (_r, allowed) => !allowed,
  ],
  [
    'a document hidden from representatives is never read by a representative or caregiver',
    (r) =>
      (r.actor.kind === 'representative' || r.actor.kind === 'caregiver') &&
      r.document?.hiddenFromRepresentatives === true &&
      readsDocument(r.action),
    (_r, allowed) => !allowed,
  ],
  [
    'a deleted document is never read',
    (r) => r.document?.status === 'deleted' && readsDocument(r.action),
    (_r, allowed) => !allowed,
  ],
  [
    'an occupational doctor acts only with a consent for this consultation, still valid',
    (r) => isProfessional(r) && isOccupational(r),
    (r, allowed) =>
      !allowed ||
      r.record.occupationalConsents.some(
        (c) =>
          c.professionalId === r.actor.id &&
          c.consultationId === r.context.consultationId &&
          r.context.now.getTime() <= c.until.getTime(),
      ),
  ],
  [
    'a professional reads only categories of their profession’s row, unless they wrote the document',
    (r) => isProfessional(r) && r.document !== undefined && (r.action === 'read' || r.action === 'list'),
    (r, allowed) =>
      !allowed || isAuthor(r) || (PROFESSION_MATRIX[r.actor.profession ?? '']?.includes(r.document!.category) ?? false),
  ],
  [
    'a professional without treating role, authorization, consent or emergency reads nothing',
    (r) =>
      isProfessional(r) &&
      !isTreating(r) &&
      !r.record.authorizedProfessionals.some((a) => a.professionalId === r.actor.id) &&
      !isOccupational(r) &&
      !emergencyOpen(r) &&
      !isAuthor(r) &&
      (r.action === 'read' || r.action === 'list'),
    (_r, allowed) => !allowed,
  ],
  [
    'a caregiver never manages sharing, credentials, closure, export or history',
    (r) => r.actor.kind === 'caregiver',
    (r, allowed) => !allowed || ['list', 'read', 'deposit', 'replace', 'delete'].includes(r.action),
  ],
  [
    'only a professional or the insurance feed deposits: the feed deposits reimbursements only, and replaces only its own',
    (r) => r.actor.kind === 'system',
    (r, allowed) =>
      !allowed ||
      (r.document?.category === 'remboursements' &&
        (r.action === 'deposit' ||
          (r.action === 'replace' && r.document.authorKind === 'system' && r.document.authorId === r.actor.id && r.document.status === 'current'))),
  ],
  [
    'an unknown kind of actor is denied everything',
    (r) => !['patient', 'representative', 'caregiver', 'professional', 'agent', 'system'].includes(r.actor.kind),
    (_r, allowed) => !allowed,
  ],
];

const RULES = new Set<string>(RULE_IDS);
const SEED = Number(process.env.ACCESS_PROPERTY_SEED ?? 20260312);
const REQUESTS = 60_000;

describe('access policy: properties over random requests', () => {
  it(`hold for ${REQUESTS} requests`, (t) => {
    const next = randomRequestGenerator(SEED);
    const exercised = new Map(PROPERTIES.map(([name]) => [name, { tested: 0, allowed: 0 }]));
    let allowedCount = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const request = deepFreeze(next()); // a mutation of the input would throw
      const decision = decide(request);
      // The message is built only on failure: JSON of every request would dominate the run.
      const fail = (what: string) =>
        assert.fail(`${what}; seed ${SEED}, request #${i}: ${JSON.stringify(request)} → ${JSON.stringify(decision)}`);
      if (!RULES.has(decision.rule)) fail('unknown rule');
      if (!/^\p{Lu}.*\.$/u.test(decision.explanation)) fail('the sentence starts with a capital and ends with a full stop');
      if (decision.explanation.includes('undefined')) fail('a blank in the sentence');
      const again = decide(request);
      if (again.allowed !== decision.allowed || again.rule !== decision.rule || again.explanation !== decision.explanation) {
        fail('same input, same decision');
      }
      if (decision.allowed) allowedCount++;
      for (const [name, applies, holds] of PROPERTIES) {
        if (!applies(request)) continue;
        const counts = exercised.get(name)!;
        counts.tested++;
        if (decision.allowed) counts.allowed++;
        if (!holds(request, decision.allowed)) fail(name);
      }
    }
    t.diagnostic(`seed ${SEED}: ${REQUESTS} random requests, ${allowedCount} allowed`);
    for (const [name, { tested, allowed }] of exercised) {
      t.diagnostic(`${tested} requests (${allowed} allowed): ${name}`);
      assert.ok(tested >= 200, `property barely exercised (${tested}): ${name}`);
    }
  });
});
