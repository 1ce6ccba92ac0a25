import type { AppContext } from '../platform';
import { AppError } from '../platform';
import { traceEventAndNotify } from '../events';
import { traceEvent, type AuditAction } from '../audit';
import type { Professional } from '../accounts';
import { actorKindOf, type RecordRole } from '../records';
import { DOCUMENT_CATEGORY_IDS } from '../../shared/catalogue';
import { professionMayRead } from './matrix';
import { decide } from './policy';
import { actorOf } from './actors';
import { emergencyContext } from './emergency';
import { loadAccessState, type LoadedRecord } from './state';
import type { AccessContext, AccessRequest, Action, Actor, Audience, Decision, DocumentAccessState, RuleId } from './types';

/**
 * One actor's access to one record, whoever they are: a professional, or a login (the
 * titulaire, a legal representative, a proche aidant) whose role the record's members give.
 * It holds what the policy decides on, and every door asks it the same three things:
 * `check` (decide, trace allowed or denied with its rule, refuse with the policy's sentence),
 * `allows` (decide only, to filter what a traced list shows) and `visibility` (the same rules
 * as SQL filters, so that paging stays right).
 */

export type Accessor = { professional: Professional } | { loginId: string };

/** What a list of documents may show this actor: the policy's flags, as filters. */
export interface VisibilityFilter {
  /** Hide documents "not visible to the patient" (the patient, their representatives). */
  excludeHiddenFromPatient: boolean;
  excludeHiddenFromRepresentatives: boolean;
  /** Hide documents masked from professionals (a professional who is neither author nor treating doctor). */
  excludeMasked: boolean;
  /** Documents the viewer authored stay visible despite the flags above. */
  authorId?: string;
  /** Only these categories (the profession's row of the matrix); all when absent. */
  categories?: string[];
}

export interface CheckOptions {
  /** The trail's action, when it is not the policy action's own (e.g. `settings-changed`).
   * Given, the event names a document only through `documentId`. */
  action?: AuditAction;
  documentId?: string | null;
  /** A success is traced by the caller, in the transaction of the change (a deposit). */
  tracedOnSuccessBy?: 'caller';
  /** What the event's sealed part says beside who acted (a setting, an RPPS…). */
  details?: Record<string, string | boolean>;
  /** How a refusal is answered, when not with a 403 and the policy's sentence. */
  refuse?: (decision: Decision) => AppError;
}

export interface RecordAccess {
  recordId: string;
  actor: Actor;
  /** The login's role on the record (null for a professional, or a login that has none). */
  role: RecordRole | null;
  loaded: LoadedRecord;
  context: AccessContext;
  visibility: VisibilityFilter;
  /** Decides, traces, and throws (403 with the policy's explanation by default) when denied. */
  check(action: Action, document?: DocumentAccessState, options?: CheckOptions): Promise<{ explanation: string; rule: RuleId }>;
  /** Decides without tracing (to filter a list already traced as a whole). */
  allows(action: Action, document?: DocumentAccessState): boolean;
  /** The decision and its sentence, without tracing: what a screen says before anything is opened. */
  preview(action: Action, document?: DocumentAccessState): Decision;
  /**
   * Traces a refusal that a door decides by itself (a login with no role on the record, a part
   * of the record a role never reaches) and returns the error to throw: no refusal goes untraced.
   */
  refuse(action: AuditAction, rule: string, error: AppError, details?: Record<string, string | boolean>): Promise<AppError>;
  /** Traces what this actor did (or was refused) on the record, with its rule. */
  trace(action: AuditAction, rule: string, options?: { allowed?: boolean; documentId?: string | null; details?: Record<string, string | boolean> }): Promise<void>;
}

const AUDIT_OF: Partial<Record<Action, AuditAction>> = {
  list: 'read-list',
  read: 'open-document',
  deposit: 'deposit',
  replace: 'replace',
  delete: 'delete',
  'make-visible-to-patient': 'make-visible',
  'read-history': 'read-list',
  'manage-sharing': 'settings-changed',
  close: 'close',
  reactivate: 'reactivate',
  export: 'export',
};

export async function recordAccess(ctx: AppContext, who: Accessor, recordId: string): Promise<RecordAccess> {
  const loaded = await loadAccessState(ctx, recordId);
  const now = ctx.clock.now();
  let actor: Actor;
  let role: RecordRole | null = null;
  let context: AccessContext = { now, mode: 'normal' };
  let personal: Record<string, string> = {};
  if ('professional' in who) {
    const pro = who.professional;
    actor = actorOf(pro);
    personal = { actorName: pro.name, profession: pro.profession, workplace: pro.workplace.name };
    context = await emergencyContext(ctx, recordId, pro.rpps, now);
    // An occupational doctor acts within the consultation the worker consented to (the latest one in force).
    const consultation = loaded.state.occupationalConsents.find((c) => c.professionalId === pro.rpps);
    if (consultation) context = { ...context, consultationId: consultation.consultationId };
  } else {
    role = loaded.members.find((m) => m.loginId === who.loginId)?.role ?? null;
    // A login with no role on the record is judged as a patient who is not its titulaire.
    actor = { kind: role ? actorKindOf(role) : 'patient', id: who.loginId };
  }
  const request = (action: Action, document?: DocumentAccessState): AccessRequest => ({
    actor,
    record: loaded.state,
    action,
    context,
    ...(document ? { document } : {}),
  });
  const trace: RecordAccess['trace'] = (action, rule, options = {}) => {
    const allowed = options.allowed ?? true;
    // A refusal of the patient's own side is kept in the trail without telling anyone: they are
    // the ones who were refused. What a professional is refused may be news to the patient.
    const record = allowed || actor.kind === 'professional' ? traceEventAndNotify : traceEvent;
    return record(ctx, {
      recordId,
      actorKind: actor.kind as 'patient' | 'representative' | 'caregiver' | 'professional',
      actorId: actor.id,
      action,
      documentId: options.documentId ?? null,
      rule,
      allowed,
      personal: Object.keys(personal).length || options.details ? { ...personal, ...(options.details ? { details: options.details } : {}) } : null,
    });
  };
  // The sentence of a decision is read by whoever asked: a professional reads it in his own
  // words, the patient's side in the patient's (the history keeps the rule, not this sentence).
  const audience: Audience = 'professional' in who ? 'professional' : 'patient';
  const decideFor = (action: Action, document?: DocumentAccessState) => decide(request(action, document), audience);
  return {
    recordId,
    actor,
    role,
    loaded,
    context,
    visibility: visibilityOf(actor, role, loaded, context),
    allows: (action, document) => decideFor(action, document).allowed,
    preview: (action, document) => decideFor(action, document),
    async check(action, document, options = {}) {
      const decision = decideFor(action, document);
      if (!(decision.allowed && options.tracedOnSuccessBy === 'caller')) {
        const documentId = options.action !== undefined ? (options.documentId ?? null) : (document?.id ?? null);
        await trace(options.action ?? AUDIT_OF[action] ?? 'read-list', decision.rule, {
          allowed: decision.allowed,
          documentId,
          ...(options.details ? { details: options.details } : {}),
        });
      }
      if (!decision.allowed) throw options.refuse?.(decision) ?? new AppError(403, 'access-denied', 'Accès refusé', decision.explanation);
      return { explanation: decision.explanation, rule: decision.rule };
    },
    trace,
    async refuse(action, rule, error, details) {
      await trace(action, rule, { allowed: false, ...(details ? { details } : {}) });
      return error;
    },
  };
}

/** The policy's document rules as list filters; each line is still asked of the policy. */
function visibilityOf(actor: Actor, role: RecordRole | null, loaded: LoadedRecord, context: AccessContext): VisibilityFilter {
  if (actor.kind === 'professional') {
    const emergencyMasked = context.mode !== 'normal' && loaded.state.emergency.maskedVisibleInEmergency;
    return {
      excludeHiddenFromPatient: false,
      excludeHiddenFromRepresentatives: false,
      excludeMasked: loaded.state.treatingDoctorId !== actor.id && !emergencyMasked,
      authorId: actor.id,
      categories: DOCUMENT_CATEGORY_IDS.filter((c) => professionMayRead(actor.profession ?? '', c)),
    };
  }
  return { excludeHiddenFromPatient: true, excludeHiddenFromRepresentatives: role !== 'holder', excludeMasked: role === 'caregiver' };
}

/** A professional's access: what the professional routes and the FHIR door ask. */
export type ProfessionalAccess = RecordAccess;

export function professionalAccess(ctx: AppContext, pro: Professional, recordId: string): Promise<ProfessionalAccess> {
  return recordAccess(ctx, { professional: pro }, recordId);
}
