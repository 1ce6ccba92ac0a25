/**
 * THE access policy of the DMP: one pure function decides every access, for the JSON API, the
 * FHIR API and the screens alike. No I/O, no clock: the caller loads the record's sharing state
 * and passes the time. DOMAIN.md §1 and §4 are the spec; where they are silent, the choice a
 * French patient or doctor would expect is written next to the rule that makes it.
 *
 * Order of the checks, so that the reason given is the most fundamental one:
 * who the actor is (and whether they belong to this record) → is the record closed →
 * what the actor's kind may do → the document's own state (deleted, hidden, replaced) → rights.
 */
import { isOccupationalDoctor } from '../directory';
import { explain } from './explain';
import { professionMayRead } from './matrix';
import {
  ACTIONS,
  ACTOR_KINDS,
  BREAK_GLASS_DURATION_MS,
  type AccessRequest,
  type Action,
  type Actor,
  type Audience,
  type Decision,
  type DocumentAccessState,
  type RuleId,
  type Verdict,
} from './types';

const ok = (rule: RuleId): Verdict => ({ allowed: true, rule });
const no = (rule: RuleId): Verdict => ({ allowed: false, rule });

const KNOWN_KINDS: ReadonlySet<string> = new Set(ACTOR_KINDS);
const KNOWN_ACTIONS: ReadonlySet<string> = new Set(ACTIONS);
const NEEDS_DOCUMENT: ReadonlySet<Action> = new Set([
  'read',
  'deposit',
  'replace',
  'delete',
  'mask',
  'unmask',
  'make-visible-to-patient',
]);

/** On a closed record the titulaire may still look at it, take a copy, keep their login working
 * and reopen it; nothing changes in it until it is reactivated. */
const PATIENT_WHEN_CLOSED: ReadonlySet<Action> = new Set([
  'list',
  'read',
  'read-history',
  'export',
  'manage-credentials',
  'reactivate',
]);
/** A representative acts for someone who cannot act alone (a minor, a protected adult): if they
 * could not reactivate, a child's closed record could not be reopened before their majority. But
 * "a closed record is readable by the patient only": they reopen it first (traced, notified),
 * which is the visible act, instead of reading a closed record silently. */
const REPRESENTATIVE_WHEN_CLOSED: ReadonlySet<Action> = new Set(['reactivate']);

/** A proche aidant reads and adds documents (and takes back what they added); never manages
 * sharing (masking included), credentials, closure, export or the access history. */
const CAREGIVER_ACTIONS: ReadonlySet<Action> = new Set(['list', 'read', 'deposit', 'replace', 'delete']);

/** Since the law of 2 August 2021, an occupational doctor may read and add, no more. */
const OCCUPATIONAL_ACTIONS: ReadonlySet<Action> = new Set(['list', 'read', 'deposit']);

/** The decision, with its sentence in the words of `audience` (the patient's side by default). */
export function decide(request: AccessRequest, audience: Audience = 'patient'): Decision {
  const verdict = evaluate(request);
  return { allowed: verdict.allowed, rule: verdict.rule, explanation: explain(verdict, request, audience) };
}

/** The decision without its sentence, for callers that only filter (e.g. a list of documents). */
export function evaluate(request: AccessRequest): Verdict {
  const { actor, action } = request;
  if (!isKnownActor(actor)) return no('unknown-actor');
  if (!KNOWN_ACTIONS.has(action)) return no('unknown-action');
  if (NEEDS_DOCUMENT.has(action) && request.document === undefined) return no('document-required');
  switch (actor.kind) {
    case 'patient':
      if (actor.id !== request.record.patientId) return no('not-titulaire');
      return forTitulaireSide(request, 'titulaire', PATIENT_WHEN_CLOSED);
    case 'representative':
      if (!request.record.representativeIds.includes(actor.id)) return no('not-representative');
      return forTitulaireSide(request, 'legal-representative', REPRESENTATIVE_WHEN_CLOSED);
    case 'caregiver':
      return forCaregiver(request);
    case 'professional':
      return forProfessional(request);
    case 'agent':
      // A CPAM agent creates the record with the patient at the desk, and that is all.
      if (action !== 'create-record') return no('insurance-no-medical-content');
      return request.record.status === 'closed' ? no('record-closed') : ok('insurance-agent-creation');
    case 'system':
      return forInsuranceFeed(request);
    default:
      return no('unknown-actor');
  }
}

/** The only system account that acts on records is the Assurance Maladie feed. */
function isKnownActor(actor: Actor): boolean {
  if (!KNOWN_KINDS.has(actor.kind) || typeof actor.id !== 'string' || actor.id === '') return false;
  return actor.kind !== 'system' || actor.systemRole === 'insurance_feed';
}

/** The patient, or a legal representative acting for them. */
function forTitulaireSide(
  request: AccessRequest,
  allowRule: 'titulaire' | 'legal-representative',
  whenClosed: ReadonlySet<Action>,
): Verdict {
  const { record, action, document } = request;
  if (record.status === 'closed') {
    if (!whenClosed.has(action)) return no('record-closed');
  } else if (action === 'reactivate') {
    return no('record-not-closed');
  }
  const isRepresentative = allowRule === 'legal-representative';
  switch (action) {
    case 'list':
    case 'read':
      if (document === undefined) return ok(allowRule);
      return hiddenFromPatientSide(document, isRepresentative) ?? ok(allowRule);
    case 'deposit':
      return depositByPatientSide(document!) ?? ok(allowRule);
    case 'replace':
    case 'delete':
      // The patient deletes (and replaces) what their side added: themselves, a representative
      // or a caregiver acting for them; a professional's document can only be masked.
      return (
        hiddenFromPatientSide(document!, isRepresentative) ??
        notCurrent(document!) ??
        (isPatientSideDocument(document!) ? ok('own-document') : no('not-author'))
      );
    case 'mask':
    case 'unmask':
      return hiddenFromPatientSide(document!, isRepresentative) ?? notCurrent(document!) ?? ok(allowRule);
    case 'make-visible-to-patient':
      // Only a professional decides that a document has been explained.
      return (
        hiddenFromPatientSide(document!, isRepresentative) ??
        notCurrent(document!) ??
        no('not-author-nor-treating-doctor')
      );
    default:
      // History, sharing, credentials, close, export, reactivate, create-record. An export is
      // allowed as a whole, and holds only what 'read' allows, document by document: documents
      // hidden from the patient (or from representatives) stay out of the copy.
      return ok(allowRule);
  }
}

function forCaregiver(request: AccessRequest): Verdict {
  const { actor, record, action, document } = request;
  if (!record.caregiverIds.includes(actor.id)) return no('not-caregiver');
  if (record.status === 'closed') return no('record-closed');
  if (!CAREGIVER_ACTIONS.has(action)) return no('caregiver-limits');
  if (action === 'deposit') {
    return depositByPatientSide(document!) ?? (document!.masked ? no('caregiver-limits') : ok('caregiver'));
  }
  if (document === undefined) return ok('caregiver'); // the list itself
  const hidden = hiddenFromCaregiver(document);
  if (hidden !== null) return hidden;
  if (action === 'list' || action === 'read') return ok('caregiver');
  return (
    notCurrent(document) ??
    (document.authorKind === 'caregiver' && document.authorId === actor.id ? ok('own-document') : no('not-author'))
  );
}

function forProfessional(request: AccessRequest): Verdict {
  const { actor, record, action, document } = request;
  if (record.status === 'closed') return no('record-closed');
  const isTreating = record.treatingDoctorId !== null && record.treatingDoctorId === actor.id;
  const isBlocked = record.blockedProfessionalIds.includes(actor.id);
  // The médecin traitant cannot be blocked: a block recorded against them is ignored, and the
  // rule says so, so that the patient understands why their block did not apply.
  if (isBlocked && !isTreating) return no('blocked-professional');
  if (isOccupationalDoctor(actor.profession ?? '', actor.specialty ?? null)) return forOccupationalDoctor(request);
  const treatingRule: RuleId = isBlocked ? 'treating-doctor-block-ignored' : 'treating-doctor';

  switch (action) {
    case 'create-record':
      // §2: a PS creates it with the patient's consent (collected by the caller). A closed record
      // was refused above (it exists: reactivate it); uniqueness per INS is the identity module's.
      return ok('professional-creation');
    case 'list':
    case 'read':
      return professionalRead(request, isTreating ? treatingRule : authorizationRule(request), isTreating, true);
    case 'deposit':
      // Depositing is separate from reading: any PS not blocked may feed the record, in any
      // category but the care history, which only the Assurance Maladie writes (a PS's copy of a
      // reimbursement would pass for the insurer's data).
      if (document!.category === 'remboursements') return no('reimbursements-from-insurance-only');
      return ok(isTreating ? treatingRule : 'deposit-right');
    case 'replace':
    case 'delete':
      return notCurrent(document!) ?? (isProfessionalAuthor(request, document!) ? ok('document-author') : no('not-author'));
    case 'make-visible-to-patient':
      return (
        notCurrent(document!) ??
        (isProfessionalAuthor(request, document!)
          ? ok('document-author')
          : isTreating
            ? ok(treatingRule)
            : no('not-author-nor-treating-doctor'))
      );
    case 'read-history':
      // DOMAIN lets the médecin traitant also block another PS at the patient's request; we keep
      // blocking with the patient (and representatives): the treating doctor reads the history.
      return isTreating ? ok(treatingRule) : no('history-treating-doctor-only');
    default:
      // mask, unmask, manage-sharing, manage-credentials, close, reactivate, export. §7 lets a PS
      // or hospital close a record for the patient: that goes through the patient's own request
      // (or a death notice), not through a professional's right here.
      return no('patient-decides');
  }
}

/** No access by default, even with an ordinary authorization, and no emergency access either
 * (break glass is for care, and a médecin du travail does not treat): only the worker's express
 * consent for this consultation, not past its end, opens reading and adding. Checked before the
 * médecin traitant status, which an occupational doctor cannot hold anyway. */
function forOccupationalDoctor(request: AccessRequest): Verdict {
  const { actor, record, context, action, document } = request;
  const now = context.now.getTime();
  const consented =
    context.consultationId !== undefined &&
    record.occupationalConsents.some(
      (consent) =>
        consent.professionalId === actor.id &&
        consent.consultationId === context.consultationId &&
        now <= consent.until.getTime(),
    );
  if (!consented) return no('occupational-no-consent');
  if (!OCCUPATIONAL_ACTIONS.has(action)) return no('occupational-limits');
  if (action === 'deposit') {
    return document!.category === 'remboursements' ? no('reimbursements-from-insurance-only') : ok('occupational-consent');
  }
  return professionalRead(request, 'occupational-consent', false, false);
}

/** Reading (or seeing in a list) by a professional who is not blocked. */
function professionalRead(
  request: AccessRequest,
  normalBasis: RuleId | null,
  isTreating: boolean,
  emergencyApplies: boolean,
): Verdict {
  const { actor, record, document } = request;
  if (document !== undefined) {
    if (document.status === 'deleted') return no('document-deleted');
    // The author may always read back what they wrote (not blocked, checked before).
    if (isProfessionalAuthor(request, document)) return ok('document-author');
  }
  const emergency = emergencyApplies ? emergencyVerdict(request) : null;
  if (normalBasis === null && emergency?.allowed !== true) return emergency ?? no('not-authorized');
  if (document === undefined) return normalBasis !== null ? ok(normalBasis) : emergency!;
  // The matrix applies to everyone, emergencies and the médecin traitant included: it is about
  // what a profession needs, not about who is trusted.
  if (!professionMayRead(actor.profession, document.category)) return no('profession-matrix');
  if (document.masked && !isTreating) {
    if (emergency?.allowed === true && record.emergency.maskedVisibleInEmergency) return emergency;
    return no('masked-document');
  }
  return normalBasis !== null ? ok(normalBasis) : emergency!;
}

function authorizationRule(request: AccessRequest): RuleId | null {
  const id = request.actor.id;
  const authorization = request.record.authorizedProfessionals.find((a) => a.professionalId === id);
  if (authorization === undefined) return null;
  return authorization.basis === 'care_team' ? 'authorized-care-team' : 'authorized-consent';
}

/** null in normal mode; otherwise whether the emergency claimed is valid and permitted. */
function emergencyVerdict(request: AccessRequest): Verdict | null {
  const { actor, record, context } = request;
  switch (context.mode) {
    case 'break-glass': {
      const breakGlass = context.breakGlass;
      if (breakGlass === undefined || typeof breakGlass.reason !== 'string' || breakGlass.reason.trim() === '') {
        return no('break-glass-invalid');
      }
      const elapsed = context.now.getTime() - breakGlass.startedAt.getTime();
      if (!(elapsed >= 0)) return no('break-glass-invalid'); // started in the future, or not a date
      if (!record.emergency.breakGlassAllowed) return no('break-glass-refused');
      if (elapsed >= BREAK_GLASS_DURATION_MS) return no('break-glass-expired');
      return ok('break-glass');
    }
    case 'samu':
      if (actor.role !== 'samu_regulator') return no('not-samu-regulator');
      return record.emergency.samuAllowed ? ok('samu-regulator') : no('samu-refused');
    default:
      return null;
  }
}

/** The Assurance Maladie feed appends reimbursements, nothing else: it deposits its care history
 * and brings that same document up to date (a new version), never anyone else's. Dropping rows
 * older than 24 months happens when it writes the new version, not as an access. */
function forInsuranceFeed(request: AccessRequest): Verdict {
  const { record, action, document, actor } = request;
  if (document?.category !== 'remboursements') return no('insurance-feed-limits');
  const ownCurrent = document.authorKind === 'system' && document.authorId === actor.id && document.status === 'current';
  if (action !== 'deposit' && !(action === 'replace' && ownCurrent)) return no('insurance-feed-limits');
  return record.status === 'closed' ? no('record-closed') : ok('insurance-feed');
}

function hiddenFromPatientSide(document: DocumentAccessState, isRepresentative: boolean): Verdict | null {
  if (document.status === 'deleted') return no('document-deleted');
  if (isRepresentative && document.hiddenFromRepresentatives) return no('hidden-from-representatives');
  if (document.hiddenFromPatient) return no('hidden-from-patient');
  return null;
}

/** A caregiver sees no more than a representative would, and not masked documents either:
 * masking says "keep this one to myself"; DOMAIN lists who still sees a masked document (the
 * patient, its author, the médecin traitant) and the aidant is not among them. */
function hiddenFromCaregiver(document: DocumentAccessState): Verdict | null {
  return hiddenFromPatientSide(document, true) ?? (document.masked ? no('masked-document') : null);
}

/** What a deposit from the patient's side may not carry. The deposit's status, id and author
 * are the store's to set, so they are not looked at. */
function depositByPatientSide(document: DocumentAccessState): Verdict | null {
  if (document.hiddenFromPatient || document.hiddenFromRepresentatives) return no('visibility-set-by-professional');
  if (document.category === 'remboursements') return no('reimbursements-from-insurance-only');
  return null;
}

function isPatientSideDocument(document: DocumentAccessState): boolean {
  return document.authorKind === 'patient' || document.authorKind === 'representative' || document.authorKind === 'caregiver';
}

function isProfessionalAuthor(request: AccessRequest, document: DocumentAccessState): boolean {
  return document.authorKind === 'professional' && document.authorId === request.actor.id;
}

/** Actions that change a document apply to its latest version; earlier ones stay readable. */
function notCurrent(document: DocumentAccessState): Verdict | null {
  if (document.status === 'deleted') return no('document-deleted');
  return document.status === 'replaced' ? no('document-not-current') : null;
}
