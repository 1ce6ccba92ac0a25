/**
 * The inputs and output of the access policy (`decide` in ./policy). Everything the policy needs
 * comes in the request, time included: the policy itself does no I/O and reads no clock.
 */
import type { DocumentCategory } from './matrix';

export const ACTOR_KINDS = ['patient', 'representative', 'caregiver', 'professional', 'agent', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export interface Actor {
  /** Anything else (insurer, employer, operator…) arrives here from hostile input: always denied. */
  readonly kind: ActorKind;
  /** Patient/representative/caregiver account id, RPPS number, agent account, or system account. */
  readonly id: string;
  /** How people call this actor in a sentence, e.g. « le Dr Martin », « Mme Petit ». */
  readonly displayName?: string;
  /** JDV_J01 profession code (G15_10 médecin, G15_21 pharmacien…), for professionals. */
  readonly profession?: string;
  /** Specialty code without the profession prefix (SM54, SM25…), for professionals. */
  readonly specialty?: string;
  readonly role?: 'samu_regulator';
  readonly systemRole?: 'insurance_feed';
}

/** How a professional came to be authorized: the patient's consent, declared by the PS, or
 * membership of the care team (deemed authorized once informed, unless the patient objected). */
export type AuthorizationBasis = 'consent_declared' | 'care_team';

export interface ProfessionalAuthorization {
  readonly professionalId: string;
  readonly basis: AuthorizationBasis;
}

/** The worker's express consent to the occupational doctor, for one consultation (law of 2 August 2021). */
export interface OccupationalConsent {
  readonly professionalId: string;
  readonly consultationId: string;
  /** The consent ends at this instant (inclusive). */
  readonly until: Date;
}

export interface EmergencySettings {
  /** « Bris de glace »: a PS in an emergency may read without prior authorization. */
  readonly breakGlassAllowed: boolean;
  /** The SAMU médecin régulateur may read during an emergency call. */
  readonly samuAllowed: boolean;
  /** Masked documents may be opened in an emergency (break glass or SAMU). */
  readonly maskedVisibleInEmergency: boolean;
}

export interface RecordAccessState {
  /** Account id of the titulaire: the patient actor whose id this is owns the record. */
  readonly patientId: string;
  readonly status: 'active' | 'closed';
  readonly treatingDoctorId: string | null;
  /** Authorizations currently in force; the store removes revoked or lapsed ones. */
  readonly authorizedProfessionals: readonly ProfessionalAuthorization[];
  readonly blockedProfessionalIds: readonly string[];
  readonly emergency: EmergencySettings;
  readonly representativeIds: readonly string[];
  readonly caregiverIds: readonly string[];
  readonly occupationalConsents: readonly OccupationalConsent[];
}

export type DocumentAuthorKind = 'patient' | 'representative' | 'caregiver' | 'professional' | 'system';

export interface DocumentAccessState {
  readonly id: string;
  readonly category: DocumentCategory;
  readonly authorId: string;
  readonly authorKind: DocumentAuthorKind;
  /** Masked by the patient: hidden from professionals except its author and the médecin traitant. */
  readonly masked: boolean;
  /** Deposited « non visible par le patient » until a PS has explained it. */
  readonly hiddenFromPatient: boolean;
  /** For a minor: hidden from the legal representatives. */
  readonly hiddenFromRepresentatives: boolean;
  readonly status: 'current' | 'replaced' | 'deleted';
}

export const ACTIONS = [
  'list',
  'read',
  'deposit',
  'replace',
  'delete',
  'mask',
  'unmask',
  'make-visible-to-patient',
  'read-history',
  'manage-sharing',
  'manage-credentials',
  'close',
  'reactivate',
  'export',
  'create-record',
] as const;
export type Action = (typeof ACTIONS)[number];

export type AccessMode = 'normal' | 'break-glass' | 'samu';

export interface BreakGlass {
  readonly reason: string;
  readonly startedAt: Date;
}

export interface AccessContext {
  readonly now: Date;
  readonly mode: AccessMode;
  readonly breakGlass?: BreakGlass;
  /** The occupational-medicine consultation under way, matched against the worker's consents. */
  readonly consultationId?: string;
}

export interface AccessRequest {
  readonly actor: Actor;
  /** For create-record: the record about to be created (status 'active', nobody listed yet). */
  readonly record: RecordAccessState;
  /** Required for read, deposit (the new document's metadata), replace, delete, mask, unmask and
   * make-visible-to-patient. For list: with a document, may it appear in the list; without, may
   * the actor see the list at all. Ignored by the record-level actions. */
  readonly document?: DocumentAccessState;
  readonly action: Action;
  readonly context: AccessContext;
}

/** Every reason the policy can give; stable ids, stored with each trace of the audit trail. */
export const RULE_IDS = [
  // who the actor is
  'unknown-actor',
  'unknown-action',
  'document-required',
  'not-titulaire',
  'not-representative',
  'not-caregiver',
  // allowed bases
  'titulaire',
  'legal-representative',
  'caregiver',
  'own-document',
  'treating-doctor',
  'treating-doctor-block-ignored',
  'authorized-consent',
  'authorized-care-team',
  'document-author',
  'deposit-right',
  'break-glass',
  'samu-regulator',
  'occupational-consent',
  'professional-creation',
  'insurance-agent-creation',
  'insurance-feed',
  // refusals
  'record-closed',
  'record-not-closed',
  'document-deleted',
  'document-not-current',
  'hidden-from-patient',
  'hidden-from-representatives',
  'masked-document',
  'not-author',
  'not-author-nor-treating-doctor',
  'visibility-set-by-professional',
  'reimbursements-from-insurance-only',
  'caregiver-limits',
  'blocked-professional',
  'not-authorized',
  'profession-matrix',
  'break-glass-refused',
  'break-glass-expired',
  'break-glass-invalid',
  'samu-refused',
  'not-samu-regulator',
  'occupational-no-consent',
  'occupational-limits',
  'history-treating-doctor-only',
  'patient-decides',
  'insurance-no-medical-content',
  'insurance-feed-limits',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** A decision without its sentence. */
export interface Verdict {
  readonly allowed: boolean;
  readonly rule: RuleId;
}

/**
 * Who reads the decision's sentence: the patient's side (the titulaire, in the history and on
 * their screens) or the professional who acted (the professional and FHIR doors).
 */
export type Audience = 'patient' | 'professional';

export interface Decision {
  readonly allowed: boolean;
  readonly rule: RuleId;
  /** One French sentence for people, saying why, for an allow as for a refusal. */
  readonly explanation: string;
}

/** Emergency access (bris de glace) ends by itself 24 hours after it started. */
export const BREAK_GLASS_DURATION_MS = 24 * 60 * 60 * 1000;
