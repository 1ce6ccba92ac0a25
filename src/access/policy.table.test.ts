/**
 * Every combination of actor × record state × document × mode × action, generated, each one
 * decided by `decide` and by the plainly written oracle below (which never calls the policy),
 * compared on `allowed` and `rule`. Then a few rows written by hand with their exact sentence.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DocumentCategory } from './matrix';
import { decide } from './policy';
import {
  ACTIONS,
  RULE_IDS,
  type AccessContext,
  type AccessRequest,
  type Action,
  type Actor,
  type ActorKind,
  type DocumentAccessState,
  type RecordAccessState,
  type RuleId,
} from './types';

const NOW = new Date('2026-03-12T09:00:00Z');
const HOUR = 3_600_000;
const PATIENT = 'pat-1';
const TREATING = 'rpps-treating';

// ---------------------------------------------------------------------------------------------
// The cast. `role` is what the oracle reasons about; the record below is built from the same ids.
type Role =
  | 'titulaire'
  | 'other-patient'
  | 'representative'
  | 'unlisted-representative'
  | 'caregiver'
  | 'unlisted-caregiver'
  | 'treating-doctor'
  | 'authorized-gp'
  | 'care-team-nurse'
  | 'authorized-pharmacist'
  | 'stranger-gp'
  | 'blocked-gp'
  | 'samu-regulator'
  | 'occupational-with-consent'
  | 'occupational-authorized-no-consent'
  | 'occupational-expired-consent'
  | 'occupational-other-consultation'
  | 'document-author'
  | 'insurance-agent'
  | 'insurance-feed'
  | 'other-system'
  | 'employer'
  | 'operator';

interface Cast {
  readonly role: Role;
  readonly actor: Actor;
}

const pro = (id: string, profession: string, specialty?: string): Omit<Actor, 'kind'> & { kind: 'professional' } => ({
  kind: 'professional',
  id,
  profession,
  ...(specialty === undefined ? {} : { specialty }),
});

const CAST: readonly Cast[] = [
  { role: 'titulaire', actor: { kind: 'patient', id: PATIENT } },
  { role: 'other-patient', actor: { kind: 'patient', id: 'pat-2' } },
  { role: 'representative', actor: { kind: 'representative', id: 'rep-1' } },
  { role: 'unlisted-representative', actor: { kind: 'representative', id: 'rep-2' } },
  { role: 'caregiver', actor: { kind: 'caregiver', id: 'aid-1' } },
  { role: 'unlisted-caregiver', actor: { kind: 'caregiver', id: 'aid-2' } },
  { role: 'treating-doctor', actor: pro(TREATING, 'G15_10', 'SM54') },
  { role: 'authorized-gp', actor: pro('rpps-gp', 'G15_10', 'SM54') },
  { role: 'care-team-nurse', actor: pro('rpps-nurse', 'G15_60') },
  { role: 'authorized-pharmacist', actor: pro('rpps-pharma', 'G15_21') },
  { role: 'stranger-gp', actor: pro('rpps-stranger', 'G15_10', 'SM54') },
  { role: 'blocked-gp', actor: pro('rpps-blocked', 'G15_10', 'SM54') },
  { role: 'samu-regulator', actor: { ...pro('rpps-samu', 'G15_10', 'SM59'), role: 'samu_regulator' } },
  { role: 'occupational-with-consent', actor: pro('rpps-occ-ok', 'G15_10', 'SM25') },
  { role: 'occupational-authorized-no-consent', actor: pro('rpps-occ-none', 'G15_10', 'SM25') },
  { role: 'occupational-expired-consent', actor: pro('rpps-occ-expired', 'G15_10', 'C41') },
  { role: 'occupational-other-consultation', actor: pro('rpps-occ-other', 'G15_10', 'SM25') },
  { role: 'document-author', actor: pro('rpps-author', 'G15_10', 'SM04') },
  { role: 'insurance-agent', actor: { kind: 'agent', id: 'cpam-1' } },
  { role: 'insurance-feed', actor: { kind: 'system', id: 'cnam-feed', systemRole: 'insurance_feed' } },
  { role: 'other-system', actor: { kind: 'system', id: 'batch' } },
  { role: 'employer', actor: { kind: 'employer' as ActorKind, id: 'acme' } },
  { role: 'operator', actor: { kind: 'operator' as ActorKind, id: 'admin' } },
];

// ---------------------------------------------------------------------------------------------
// Record states: open or closed × the patient's emergency switches × whether the patient tried
// to block their médecin traitant (the "blocked treating doctor" rows).
type EmergencyChoice = 'all-allowed' | 'all-refused' | 'masked-kept-hidden';

interface RecordVariant {
  readonly name: string;
  readonly closed: boolean;
  readonly emergency: EmergencyChoice;
  readonly treatingBlocked: boolean;
  readonly record: RecordAccessState;
}

const CONSULTATION = 'consult-1';

function buildRecord(closed: boolean, emergency: EmergencyChoice, treatingBlocked: boolean): RecordAccessState {
  return {
    patientId: PATIENT,
    status: closed ? 'closed' : 'active',
    treatingDoctorId: TREATING,
    authorizedProfessionals: [
      { professionalId: 'rpps-gp', basis: 'consent_declared' },
      { professionalId: 'rpps-nurse', basis: 'care_team' },
      { professionalId: 'rpps-pharma', basis: 'consent_declared' },
      { professionalId: 'rpps-blocked', basis: 'consent_declared' }, // a block beats an authorization
      { professionalId: 'rpps-occ-none', basis: 'consent_declared' }, // not enough for occupational medicine
    ],
    blockedProfessionalIds: treatingBlocked ? ['rpps-blocked', TREATING] : ['rpps-blocked'],
    emergency: {
      breakGlassAllowed: emergency !== 'all-refused',
      samuAllowed: emergency !== 'all-refused',
      maskedVisibleInEmergency: emergency === 'all-allowed',
    },
    representativeIds: ['rep-1'],
    caregiverIds: ['aid-1'],
    occupationalConsents: [
      { professionalId: 'rpps-occ-ok', consultationId: CONSULTATION, until: new Date(NOW.getTime() + HOUR) },
      { professionalId: 'rpps-occ-expired', consultationId: CONSULTATION, until: new Date(NOW.getTime() - 60_000) },
      { professionalId: 'rpps-occ-other', consultationId: 'consult-2', until: new Date(NOW.getTime() + HOUR) },
    ],
  };
}

const RECORDS: readonly RecordVariant[] = [false, true].flatMap((closed) =>
  (['all-allowed', 'all-refused', 'masked-kept-hidden'] as const).flatMap((emergency) =>
    [false, true].map((treatingBlocked) => ({
      name: `${closed ? 'closed' : 'active'}/${emergency}${treatingBlocked ? '/treating-blocked' : ''}`,
      closed,
      emergency,
      treatingBlocked,
      record: buildRecord(closed, emergency, treatingBlocked),
    })),
  ),
);

// ---------------------------------------------------------------------------------------------
// Documents: one flag at a time (the property test mixes them), three kinds of author, four
// categories chosen to cross the matrix rows of the cast (doctor, pharmacist, nurse).
type DocFlag = 'plain' | 'masked' | 'hidden-from-patient' | 'hidden-from-representatives' | 'replaced' | 'deleted';
type DocAuthor = 'professional-author' | 'patient' | 'caregiver';

interface DocVariant {
  readonly name: string;
  readonly flag: DocFlag | null;
  readonly author: DocAuthor | null;
  readonly category: DocumentCategory | null;
  readonly document: DocumentAccessState | undefined;
}

const AUTHOR_IDS: Readonly<Record<DocAuthor, [string, DocumentAccessState['authorKind']]>> = {
  'professional-author': ['rpps-author', 'professional'],
  patient: [PATIENT, 'patient'],
  caregiver: ['aid-1', 'caregiver'],
};

const FLAGS: readonly DocFlag[] = ['plain', 'masked', 'hidden-from-patient', 'hidden-from-representatives', 'replaced', 'deleted'];
const CATEGORIES: readonly DocumentCategory[] = ['comptes-rendus', 'traitements-soins', 'donnees-administratives', 'remboursements'];

const DOCUMENTS: readonly DocVariant[] = [
  { name: 'no document', flag: null, author: null, category: null, document: undefined },
  ...FLAGS.flatMap((flag) =>
    (Object.keys(AUTHOR_IDS) as DocAuthor[]).flatMap((author) =>
      CATEGORIES.map((category) => {
        const [authorId, authorKind] = AUTHOR_IDS[author];
        const document: DocumentAccessState = {
          id: `doc-${flag}-${author}-${category}`,
          category,
          authorId,
          authorKind,
          masked: flag === 'masked',
          hiddenFromPatient: flag === 'hidden-from-patient',
          hiddenFromRepresentatives: flag === 'hidden-from-representatives',
          status: flag === 'replaced' ? 'replaced' : flag === 'deleted' ? 'deleted' : 'current',
        };
        return { name: `${flag}/${author}/${category}`, flag, author, category, document };
      }),
    ),
  ),
];

// ---------------------------------------------------------------------------------------------
type ModeName = 'normal' | 'break-glass-fresh' | 'break-glass-older-than-24h' | 'break-glass-without-reason' | 'samu';

const MODES: Readonly<Record<ModeName, AccessContext>> = {
  normal: { now: NOW, mode: 'normal', consultationId: CONSULTATION },
  'break-glass-fresh': {
    now: NOW,
    mode: 'break-glass',
    breakGlass: { reason: 'Malaise grave à domicile', startedAt: new Date(NOW.getTime() - HOUR) },
    consultationId: CONSULTATION,
  },
  'break-glass-older-than-24h': {
    now: NOW,
    mode: 'break-glass',
    breakGlass: { reason: 'Malaise grave à domicile', startedAt: new Date(NOW.getTime() - 25 * HOUR) },
    consultationId: CONSULTATION,
  },
  'break-glass-without-reason': {
    now: NOW,
    mode: 'break-glass',
    breakGlass: { reason: '   ', startedAt: new Date(NOW.getTime() - HOUR) },
    consultationId: CONSULTATION,
  },
  samu: { now: NOW, mode: 'samu', consultationId: CONSULTATION },
};

const ALL_ACTIONS: readonly Action[] = [...ACTIONS, 'teleport' as Action];

// ---------------------------------------------------------------------------------------------
// THE ORACLE. Written from DOMAIN.md §1/§4 and the choices listed in policy.ts, in the plainest
// way: by role, one action at a time. It never calls the policy or the matrix module.
type Expected = readonly [allowed: boolean, rule: RuleId];
const yes = (rule: RuleId): Expected => [true, rule];
const no = (rule: RuleId): Expected => [false, rule];

/** The matrix rows of the cast, restated by hand for the four categories the table uses. */
const READABLE: Readonly<Record<string, readonly DocumentCategory[]>> = {
  G15_10: ['comptes-rendus', 'traitements-soins', 'remboursements'],
  G15_21: ['traitements-soins', 'remboursements'],
  G15_60: ['comptes-rendus', 'traitements-soins'],
};

interface Row {
  readonly cast: Cast;
  readonly rec: RecordVariant;
  readonly doc: DocVariant;
  readonly mode: ModeName;
  readonly action: Action;
}

function oracle(row: Row): Expected {
  const { cast, action, doc } = row;
  if (['employer', 'operator', 'other-system'].includes(cast.role)) return no('unknown-actor');
  if (action === ('teleport' as Action)) return no('unknown-action');
  const needsDocument = ['read', 'deposit', 'replace', 'delete', 'mask', 'unmask', 'make-visible-to-patient'];
  if (doc.flag === null && needsDocument.includes(action)) return no('document-required');
  switch (cast.role) {
    case 'titulaire':
    case 'representative':
      return oracleForPatientSide(row);
    case 'other-patient':
      return no('not-titulaire');
    case 'unlisted-representative':
      return no('not-representative');
    case 'caregiver':
      return oracleForCaregiver(row);
    case 'unlisted-caregiver':
      return no('not-caregiver');
    case 'insurance-agent':
      if (action !== 'create-record') return no('insurance-no-medical-content');
      return row.rec.closed ? no('record-closed') : yes('insurance-agent-creation');
    case 'insurance-feed':
      if (action === 'deposit' && doc.category === 'remboursements') {
        return row.rec.closed ? no('record-closed') : yes('insurance-feed');
      }
      return no('insurance-feed-limits');
    default:
      return oracleForProfessional(row);
  }
}

function oracleForPatientSide({ cast, rec, doc, action }: Row): Expected {
  const isPatient = cast.role === 'titulaire';
  const allow: RuleId = isPatient ? 'titulaire' : 'legal-representative';
  if (rec.closed) {
    const stillPossible = isPatient
      ? ['list', 'read', 'read-history', 'export', 'manage-credentials', 'reactivate']
      : ['reactivate'];
    if (!stillPossible.includes(action)) return no('record-closed');
  } else if (action === 'reactivate') {
    return no('record-not-closed');
  }
  let cannotSee: Expected | null = null;
  if (doc.flag === 'deleted') cannotSee = no('document-deleted');
  else if (!isPatient && doc.flag === 'hidden-from-representatives') cannotSee = no('hidden-from-representatives');
  else if (doc.flag === 'hidden-from-patient') cannotSee = no('hidden-from-patient');

  if (action === 'list') return doc.flag === null ? yes(allow) : (cannotSee ?? yes(allow));
  if (action === 'read') return cannotSee ?? yes(allow);
  if (action === 'deposit') {
    if (doc.flag === 'hidden-from-patient' || doc.flag === 'hidden-from-representatives') {
      return no('visibility-set-by-professional');
    }
    if (doc.category === 'remboursements') return no('reimbursements-from-insurance-only');
    return yes(allow);
  }
  if (['replace', 'delete', 'mask', 'unmask', 'make-visible-to-patient'].includes(action)) {
    if (cannotSee) return cannotSee;
    if (doc.flag === 'replaced') return no('document-not-current');
    if (action === 'mask' || action === 'unmask') return yes(allow);
    if (action === 'make-visible-to-patient') return no('not-author-nor-treating-doctor');
    return doc.author === 'professional-author' ? no('not-author') : yes('own-document');
  }
  return yes(allow); // history, sharing, credentials, close, reactivate, export, create-record
}

function oracleForCaregiver({ rec, doc, action }: Row): Expected {
  if (rec.closed) return no('record-closed');
  if (!['list', 'read', 'deposit', 'replace', 'delete'].includes(action)) return no('caregiver-limits');
  if (action === 'deposit') {
    if (doc.flag === 'hidden-from-patient' || doc.flag === 'hidden-from-representatives') {
      return no('visibility-set-by-professional');
    }
    if (doc.category === 'remboursements') return no('reimbursements-from-insurance-only');
    if (doc.flag === 'masked') return no('caregiver-limits');
    return yes('caregiver');
  }
  if (doc.flag === null) return yes('caregiver');
  if (doc.flag === 'deleted') return no('document-deleted');
  if (doc.flag === 'hidden-from-representatives') return no('hidden-from-representatives');
  if (doc.flag === 'hidden-from-patient') return no('hidden-from-patient');
  if (doc.flag === 'masked') return no('masked-document');
  if (action === 'list' || action === 'read') return yes('caregiver');
  if (doc.flag === 'replaced') return no('document-not-current');
  return doc.author === 'caregiver' ? yes('own-document') : no('not-author');
}

function oracleForProfessional(row: Row): Expected {
  const { cast, rec, doc, action } = row;
  if (rec.closed) return no('record-closed');
  if (cast.role === 'blocked-gp') return no('blocked-professional');
  const isTreating = cast.role === 'treating-doctor';
  const treatingRule: RuleId = rec.treatingBlocked ? 'treating-doctor-block-ignored' : 'treating-doctor';
  const isAuthor = cast.role === 'document-author' && doc.author === 'professional-author';

  if (cast.role.startsWith('occupational-')) {
    if (cast.role !== 'occupational-with-consent') return no('occupational-no-consent');
    if (action === 'deposit') {
      return doc.category === 'remboursements' ? no('reimbursements-from-insurance-only') : yes('occupational-consent');
    }
    if (action === 'list' || action === 'read') return oracleRead(row, 'occupational-consent', null);
    return no('occupational-limits');
  }

  switch (action) {
    case 'create-record':
      return yes('professional-creation');
    case 'list':
    case 'read': {
      const basis: RuleId | null = isTreating
        ? treatingRule
        : cast.role === 'authorized-gp' || cast.role === 'authorized-pharmacist'
          ? 'authorized-consent'
          : cast.role === 'care-team-nurse'
            ? 'authorized-care-team'
            : null;
      return oracleRead(row, basis, oracleEmergency(row));
    }
    case 'deposit':
      if (doc.category === 'remboursements') return no('reimbursements-from-insurance-only');
      return isTreating ? yes(treatingRule) : yes('deposit-right');
    case 'replace':
    case 'delete':
      if (doc.flag === 'deleted') return no('document-deleted');
      if (doc.flag === 'replaced') return no('document-not-current');
      return isAuthor ? yes('document-author') : no('not-author');
    case 'make-visible-to-patient':
      if (doc.flag === 'deleted') return no('document-deleted');
      if (doc.flag === 'replaced') return no('document-not-current');
      if (isAuthor) return yes('document-author');
      return isTreating ? yes(treatingRule) : no('not-author-nor-treating-doctor');
    case 'read-history':
      return isTreating ? yes(treatingRule) : no('history-treating-doctor-only');
    default:
      return no('patient-decides');
  }
}

function oracleEmergency({ cast, rec, mode }: Row): Expected | null {
  const refused = rec.emergency === 'all-refused';
  switch (mode) {
    case 'normal':
      return null;
    case 'break-glass-fresh':
      return refused ? no('break-glass-refused') : yes('break-glass');
    case 'break-glass-older-than-24h':
      return refused ? no('break-glass-refused') : no('break-glass-expired');
    case 'break-glass-without-reason':
      return no('break-glass-invalid');
    case 'samu':
      if (cast.role !== 'samu-regulator') return no('not-samu-regulator');
      return refused ? no('samu-refused') : yes('samu-regulator');
  }
}

function oracleRead(row: Row, basis: RuleId | null, emergency: Expected | null): Expected {
  const { cast, rec, doc } = row;
  if (doc.flag === 'deleted') return no('document-deleted');
  if (cast.role === 'document-author' && doc.author === 'professional-author') return yes('document-author');
  const emergencyOpen = emergency !== null && emergency[0];
  if (basis === null && !emergencyOpen) return emergency ?? no('not-authorized');
  const granted = basis !== null ? yes(basis) : emergency!;
  if (doc.flag === null) return granted;
  if (!(READABLE[cast.actor.profession!] ?? []).includes(doc.category!)) return no('profession-matrix');
  if (doc.flag === 'masked' && cast.role !== 'treating-doctor') {
    return emergencyOpen && rec.emergency === 'all-allowed' ? emergency! : no('masked-document');
  }
  return granted;
}

// ---------------------------------------------------------------------------------------------
describe('access policy: the full table', () => {
  it('agrees with the oracle on every combination', (t) => {
    let rows = 0;
    const mismatches: string[] = [];
    const rulesSeen = new Set<RuleId>();
    let allowedRows = 0;
    for (const cast of CAST) {
      for (const rec of RECORDS) {
        for (const doc of DOCUMENTS) {
          for (const mode of Object.keys(MODES) as ModeName[]) {
            for (const action of ALL_ACTIONS) {
              const request: AccessRequest = {
                actor: cast.actor,
                record: rec.record,
                ...(doc.document === undefined ? {} : { document: doc.document }),
                action,
                context: MODES[mode],
              };
              const decision = decide(request);
              const [allowed, rule] = oracle({ cast, rec, doc, mode, action });
              rows++;
              rulesSeen.add(decision.rule);
              if (decision.allowed) allowedRows++;
              if (decision.allowed !== allowed || decision.rule !== rule) {
                mismatches.push(
                  `${cast.role} | ${rec.name} | ${doc.name} | ${mode} | ${action}: ` +
                    `got ${decision.allowed ? 'allow' : 'deny'} ${decision.rule}, expected ${allowed ? 'allow' : 'deny'} ${rule}`,
                );
              }
              if (decision.explanation.length === 0) mismatches.push(`empty explanation: ${cast.role} ${action}`);
            }
          }
        }
      }
    }
    t.diagnostic(`${rows} rows checked against the oracle (${allowedRows} allowed, ${rows - allowedRows} denied)`);
    assert.deepEqual(mismatches.slice(0, 25), [], `${mismatches.length} mismatching rows`);
    const neverSeen = RULE_IDS.filter((rule) => !rulesSeen.has(rule));
    assert.deepEqual(neverSeen, [], 'every rule is exercised by the table');
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-written rows: the exact sentence people read.
const plainRecord = RECORDS.find((r) => !r.closed && r.emergency === 'all-allowed' && !r.treatingBlocked)!.record;
const docOf = (overrides: Partial<DocumentAccessState> = {}): DocumentAccessState => ({
  id: 'doc-1',
  category: 'comptes-rendus',
  authorId: 'rpps-author',
  authorKind: 'professional',
  masked: false,
  hiddenFromPatient: false,
  hiddenFromRepresentatives: false,
  status: 'current',
  ...overrides,
});
const named = (role: Role, displayName: string): Actor => ({ ...CAST.find((c) => c.role === role)!.actor, displayName });
const atNow: AccessContext = { now: NOW, mode: 'normal' };

function check(request: Partial<AccessRequest> & Pick<AccessRequest, 'actor' | 'action'>, expected: Expected, sentence: string) {
  const decision = decide({ record: plainRecord, context: atNow, ...request });
  assert.deepEqual([decision.allowed, decision.rule], expected);
  assert.equal(decision.explanation, sentence);
}

describe('access policy: hand-written rows', () => {
  it('says that the patient authorized the doctor', () => {
    check(
      { actor: named('authorized-gp', 'le Dr Martin'), action: 'read', document: docOf() },
      yes('authorized-consent'),
      'Le Dr Martin peut lire ce document car vous l’avez autorisé.',
    );
  });

  it('says that a block holds, even over an authorization', () => {
    check(
      { actor: named('blocked-gp', 'le Dr Bernard'), action: 'read', document: docOf() },
      no('blocked-professional'),
      'Le Dr Bernard ne peut pas lire ce document car vous l’avez bloqué.',
    );
  });

  it('says why the block of the médecin traitant is ignored', () => {
    const record = RECORDS.find((r) => !r.closed && r.emergency === 'all-allowed' && r.treatingBlocked)!.record;
    check(
      { actor: named('treating-doctor', 'le Dr Durand'), action: 'read', document: docOf({ masked: true }), record },
      yes('treating-doctor-block-ignored'),
      'Le Dr Durand peut lire ce document car c’est votre médecin traitant : un médecin traitant ne peut pas être bloqué, votre blocage ne s’applique donc pas.',
    );
  });

  it('names the profession and the category the matrix refuses', () => {
    check(
      { actor: named('authorized-pharmacist', 'Mme Petit'), action: 'read', document: docOf() },
      no('profession-matrix'),
      'Mme Petit ne peut pas lire ce document car la profession « Pharmacien » n’a pas accès aux documents de la catégorie « Comptes rendus ».',
    );
  });

  it('gives the reason and the end of an emergency access, in Paris time', () => {
    const context: AccessContext = {
      now: NOW,
      mode: 'break-glass',
      breakGlass: { reason: ' Patient inconscient aux urgences ', startedAt: new Date('2026-03-12T08:30:00Z') },
    };
    check(
      { actor: named('stranger-gp', 'le Dr Leroy'), action: 'read', document: docOf(), context },
      yes('break-glass'),
      'Le Dr Leroy peut lire ce document car il s’agit d’un accès d’urgence (bris de glace) pour le motif « Patient inconscient aux urgences », valable jusqu’au 13 mars 2026 à 09:30.',
    );
  });

  it('ends an emergency access exactly 24 hours after it started', () => {
    const startedAt = new Date(NOW.getTime() - 24 * HOUR);
    const at = (now: Date): AccessContext => ({ now, mode: 'break-glass', breakGlass: { reason: 'Coma', startedAt } });
    const actor = named('stranger-gp', 'le Dr Leroy');
    const justBefore = decide({ actor, action: 'read', document: docOf(), record: plainRecord, context: at(new Date(NOW.getTime() - 1)) });
    assert.deepEqual([justBefore.allowed, justBefore.rule], yes('break-glass'));
    check(
      { actor, action: 'read', document: docOf(), context: at(NOW) },
      no('break-glass-expired'),
      'Le Dr Leroy ne peut pas lire ce document car l’accès d’urgence ouvert le 11 mars 2026 à 10:00 a pris fin au bout de 24 heures.',
    );
  });

  it('keeps a masked document closed in an emergency when the patient chose so', () => {
    const record = RECORDS.find((r) => !r.closed && r.emergency === 'masked-kept-hidden' && !r.treatingBlocked)!.record;
    check(
      { actor: named('samu-regulator', 'le Dr Samu'), action: 'read', document: docOf({ masked: true }), record, context: { now: NOW, mode: 'samu' } },
      no('masked-document'),
      'Le Dr Samu ne peut pas lire ce document car il est masqué : seuls vous, son auteur et votre médecin traitant peuvent le voir, y compris en urgence, comme vous l’avez choisi.',
    );
  });

  it('speaks to the patient as « vous »', () => {
    check(
      { actor: { kind: 'patient', id: PATIENT, displayName: 'Marie Dupont' }, action: 'delete', document: docOf() },
      no('not-author'),
      'Vous ne pouvez pas supprimer ce document car seul le professionnel qui l’a déposé peut le remplacer ou le supprimer ; vous pouvez le masquer.',
    );
    check(
      { actor: { kind: 'patient', id: PATIENT }, action: 'delete', document: docOf({ authorId: PATIENT, authorKind: 'patient' }) },
      yes('own-document'),
      'Vous pouvez supprimer ce document car vous l’avez ajouté vous-même.',
    );
    check(
      { actor: { kind: 'patient', id: PATIENT }, action: 'deposit', document: docOf({ category: 'espace-personnel' }), record: { ...plainRecord, status: 'closed' } },
      no('record-closed'),
      'Vous ne pouvez pas ajouter ce document à votre dossier car votre dossier est fermé : réactivez-le d’abord.',
    );
  });

  it('tells the occupational doctor that consent is needed at each consultation', () => {
    check(
      { actor: named('occupational-authorized-no-consent', 'le Dr Travail'), action: 'read', document: docOf() },
      no('occupational-no-consent'),
      'Le Dr Travail ne peut pas lire ce document car un médecin du travail n’a accès à votre dossier qu’avec votre accord exprès, donné pour cette consultation.',
    );
  });

  it('refuses medical content to the CPAM agent but lets them create the record', () => {
    check(
      { actor: { kind: 'agent', id: 'cpam-1' }, action: 'read', document: docOf() },
      no('insurance-no-medical-content'),
      'L’agent de l’Assurance Maladie ne peut pas lire ce document car un agent de l’Assurance Maladie ne voit jamais le contenu médical de votre dossier : il peut seulement le créer avec vous.',
    );
    check(
      { actor: { kind: 'agent', id: 'cpam-1', displayName: 'Mme Roux, CPAM de Lyon' }, action: 'create-record' },
      yes('insurance-agent-creation'),
      'Mme Roux, CPAM de Lyon peut créer votre dossier car un agent de l’Assurance Maladie peut créer votre dossier avec votre accord, en votre présence.',
    );
  });

  it('lets the insurance feed bring its own care history up to date, and nothing else', () => {
    const feed: Actor = { kind: 'system', id: 'cnam-feed', systemRole: 'insurance_feed' };
    const own = docOf({ category: 'remboursements', authorKind: 'system', authorId: 'cnam-feed' });
    const verdict = (request: Partial<AccessRequest> & Pick<AccessRequest, 'action'>) => {
      const d = decide({ actor: feed, record: plainRecord, context: atNow, ...request });
      return [d.allowed, d.rule];
    };
    assert.deepEqual(verdict({ action: 'replace', document: own }), yes('insurance-feed'));
    assert.deepEqual(verdict({ action: 'replace', document: { ...own, authorId: 'other-feed' } }), no('insurance-feed-limits'));
    assert.deepEqual(verdict({ action: 'replace', document: { ...own, authorKind: 'professional', authorId: 'rpps-author' } }), no('insurance-feed-limits'));
    assert.deepEqual(verdict({ action: 'replace', document: { ...own, status: 'replaced' } }), no('insurance-feed-limits'));
    assert.deepEqual(verdict({ action: 'delete', document: own }), no('insurance-feed-limits'));
    assert.deepEqual(verdict({ action: 'read', document: own }), no('insurance-feed-limits'));
    assert.deepEqual(verdict({ action: 'replace', document: own, record: { ...plainRecord, status: 'closed' } }), no('record-closed'));
  });

  it('refuses anyone the policy does not know', () => {
    check(
      { actor: { kind: 'insurer' as ActorKind, id: 'axa', displayName: 'Une mutuelle' }, action: 'read', document: docOf() },
      no('unknown-actor'),
      'Une mutuelle ne peut pas lire ce document car seuls vous, vos représentants légaux, vos proches aidants, les professionnels de santé qui vous soignent et l’Assurance Maladie, chacun dans son rôle, ont accès à votre dossier.',
    );
  });

  it('hides a document from a representative when it carries both hidden flags', () => {
    check(
      { actor: named('representative', 'M. Dupont'), action: 'read', document: docOf({ hiddenFromPatient: true, hiddenFromRepresentatives: true }) },
      no('hidden-from-representatives'),
      'M. Dupont ne peut pas lire ce document car il a été rendu invisible pour vos représentants légaux.',
    );
  });
});
