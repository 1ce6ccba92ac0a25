/**
 * The DMP's access history (the audit trail, src/audit) as FHIR R4 AuditEvent resources (pure:
 * no I/O). One trail event is one AuditEvent, following the IHE « Basic Audit Log Patterns »
 * (ITI BasicAudit): the minimal pattern (§1:52.4.1.3.1: identifiers rather than details, no
 * document titles, no emergency reason), the patient as the subject in an entity of type 1
 * « Person », role 1 « Patient » (§1:52.4.1.6), the user who acted as the requestor agent.
 * Where the event is one of an IHE MHD transaction, its audit profile gives the codes: ITI-65
 * at the Document Recipient (IHE.MHD.ProvideBundle.Audit.Recipient: DICOM 110107 « Import »,
 * action C), ITI-67 and ITI-68 at the Document Responder (« rest » search / read, entity of
 * role 3 « Report » for the document). The trail keeps what happened, not through which door:
 * a read of the list from the web space carries the ITI-67 code of the same act. Other events
 * take the DICOM audit codes (DCM 110113 « Security Alert », 110114 « User Authentication »…).
 */
import type { AuditEvent, AuditEventAgent, AuditEventEntity, CodeableConcept, Coding } from '@medplum/fhirtypes';
import type { AuditAction, HistoryEvent } from '../../audit';
import { professionLabel } from '../../directory';
import { AppError } from '../../platform';
import { patientFhirId } from './resources';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const REST_TYPE: Coding = { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'Restful Operation' };
const INTERACTION = 'http://hl7.org/fhir/restful-interaction';
const IHE_EVENT = 'urn:ihe:event-type-code';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
/** The national identifier of a health professional (« 8 » + RPPS), as the CPS card and Pro Santé Connect carry it. */
export const PS_IDNAT_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.1';
/** ANS nomenclature TRE_G15 (professions), in which our G15_xx codes are written. */
const PROFESSION_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante';
/** The access policy's rules (src/access/types.ts RULE_IDS), which decided each event. */
export const ACCESS_RULE_SYSTEM = 'https://opendmp.fr/fhir/CodeSystem/regle-acces';

const dcm = (code: string, display: string): Coding => ({ system: DCM, code, display });
const rest = (code: string): Coding => ({ system: INTERACTION, code });
const ihe = (code: string, display: string): Coding => ({ system: IHE_EVENT, code, display });

interface EventKind {
  type: Coding;
  subtype: Coding[];
  action: NonNullable<AuditEvent['action']>;
}

const PROVIDE: EventKind = { type: dcm('110107', 'Import'), subtype: [ihe('ITI-65', 'Provide Document Bundle')], action: 'C' };
const UPDATE: EventKind = { type: REST_TYPE, subtype: [rest('update')], action: 'U' };
const ACCESS_RIGHTS: EventKind = { type: dcm('110113', 'Security Alert'), subtype: [dcm('110135', 'Object Security Attributes Changed')], action: 'U' };
const LOGIN: EventKind = { type: dcm('110114', 'User Authentication'), subtype: [dcm('110122', 'Login')], action: 'E' };
const RECORD = (subtype: string, action: EventKind['action']): EventKind => ({ type: dcm('110110', 'Patient Record'), subtype: [rest(subtype)], action });

/** Every action of the trail has its codes (a new one added there does not compile until it has them here). */
const KINDS: Readonly<Record<AuditAction, EventKind>> = {
  create: RECORD('create', 'C'),
  'read-list': { type: REST_TYPE, subtype: [rest('search'), ihe('ITI-67', 'Find Document References')], action: 'E' },
  'open-document': { type: REST_TYPE, subtype: [rest('read'), ihe('ITI-68', 'Retrieve Document')], action: 'R' },
  deposit: PROVIDE,
  // A replacement is a new document submitted with its predecessor named (XDS « RPLC »): ITI-65 again.
  replace: PROVIDE,
  mask: UPDATE,
  unmask: UPDATE,
  'make-visible': UPDATE,
  delete: { type: REST_TYPE, subtype: [rest('delete')], action: 'D' },
  'authorization-given': ACCESS_RIGHTS,
  'authorization-revoked': ACCESS_RIGHTS,
  block: ACCESS_RIGHTS,
  unblock: ACCESS_RIGHTS,
  'emergency-access': { type: dcm('110113', 'Security Alert'), subtype: [dcm('110127', 'Emergency Override Started')], action: 'E' },
  login: LOGIN,
  'login-failed': LOGIN,
  'settings-changed': { type: dcm('110113', 'Security Alert'), subtype: [dcm('110137', 'User Security Attributes Changed')], action: 'U' },
  export: { type: dcm('110106', 'Export'), subtype: [], action: 'R' },
  close: RECORD('update', 'U'),
  reactivate: RECORD('update', 'U'),
  'delete-record': RECORD('delete', 'D'),
};

/** A list read that was about something else than the documents (the door says so in the event's details). */
const LIST_READS: Record<string, EventKind> = {
  history: { type: dcm('110101', 'Audit Log Used'), subtype: [rest('search')], action: 'E' },
  patient: { type: REST_TYPE, subtype: [rest('search'), ihe('ITI-78', 'Mobile Patient Demographics Query')], action: 'E' },
  sharing: { type: REST_TYPE, subtype: [rest('search')], action: 'E' },
};

const OUTSIDER_RULES = new Set(['not-titulaire', 'not-representative', 'not-caregiver', 'unknown-actor']);

export const auditEventId = (recordId: string, seq: number) => `${recordId}-${seq}`;

export function professionalIdentifier(rpps: string) {
  return { system: PS_IDNAT_SYSTEM, value: `8${rpps}` };
}

export function auditEvent(event: HistoryEvent, recordId: string): AuditEvent {
  const details = event.personal?.details ?? {};
  const kind = (event.action === 'read-list' && typeof details.content === 'string' ? LIST_READS[details.content] : undefined) ?? KINDS[event.action as AuditAction];
  const purpose = purposeOf(event.rule);
  const entity: AuditEventEntity[] = [
    { what: { reference: `Patient/${patientFhirId(recordId)}` }, type: { system: ENTITY_TYPE, code: '1', display: 'Person' }, role: { system: OBJECT_ROLE, code: '1', display: 'Patient' } },
  ];
  if (event.documentId) {
    entity.push({
      what: { identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${event.documentId}` } },
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: { system: OBJECT_ROLE, code: '3', display: 'Report' },
    });
  }
  // The professional an authorization or a block was about.
  if (typeof details.rpps === 'string' && /^\d{11}$/.test(details.rpps)) {
    entity.push({
      what: { identifier: professionalIdentifier(details.rpps) },
      type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
      role: { system: OBJECT_ROLE, code: '6', display: 'User' },
    });
  }
  return {
    resourceType: 'AuditEvent',
    id: auditEventId(recordId, event.seq),
    type: kind?.type ?? dcm('110100', 'Application Activity'),
    ...(kind?.subtype.length ? { subtype: kind.subtype } : {}),
    ...(kind ? { action: kind.action } : {}),
    recorded: event.occurredAt.toISOString(),
    // audit-event-outcome: 0 success, 4 minor failure (a refusal: nothing was done).
    outcome: event.allowed ? '0' : '4',
    ...(event.allowed ? {} : { outcomeDesc: `Refusé par la politique d’accès du DMP${event.rule ? ` (règle ${event.rule})` : ''}.` }),
    ...(purpose ? { purposeOfEvent: [purpose] } : {}),
    agent: [agentOf(event, recordId, kind?.action, purpose)],
    source: {
      site: 'OpenDMP',
      observer: { display: 'OpenDMP, Dossier Médical Partagé' },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
    },
    entity,
  };
}

/** Emergency reads say so (v3-ActReason): « break the glass », or emergency treatment for the SAMU. */
function purposeOf(rule: string | null): CodeableConcept | null {
  if (rule === 'break-glass') return { coding: [{ system: ACT_REASON, code: 'BTG', display: 'break the glass' }] };
  if (rule === 'samu-regulator') return { coding: [{ system: ACT_REASON, code: 'ETREAT', display: 'Emergency Treatment' }] };
  return null;
}

function agentOf(event: HistoryEvent, recordId: string, action: EventKind['action'] | undefined, purpose: CodeableConcept | null): AuditEventAgent {
  const name = event.personal?.actorName?.trim() || undefined;
  const common: AuditEventAgent = {
    requestor: true,
    // BasicAudit: who was given the information of a read or a search is its « information recipient ».
    ...(action === 'R' || action === 'E'
      ? { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' }] } }
      : {}),
    ...(event.rule ? { policy: [`${ACCESS_RULE_SYSTEM}#${event.rule}`] } : {}),
    ...(purpose ? { purposeOfUse: [purpose] } : {}),
  };
  const outsider = event.rule !== null && OUTSIDER_RULES.has(event.rule);
  switch (event.actorKind) {
    case 'professional': {
      const profession = event.personal?.profession;
      return {
        ...common,
        who: { identifier: professionalIdentifier(event.actorId), ...(name ? { display: name } : {}) },
        ...(name ? { name } : {}),
        ...(profession?.startsWith('G15_')
          ? { role: [{ coding: [{ system: PROFESSION_SYSTEM, code: profession.slice(4), display: professionLabel(profession) ?? profession }] }] }
          : {}),
      };
    }
    case 'patient':
      return outsider ? { ...common, who: { display: 'Une personne sans droit sur ce DMP' } } : { ...common, who: { reference: `Patient/${patientFhirId(recordId)}`, display: name ?? 'Le titulaire du DMP' } };
    case 'representative':
      return { ...common, who: { type: 'RelatedPerson', display: name ?? 'Un représentant légal' } };
    case 'caregiver':
      return { ...common, who: { type: 'RelatedPerson', display: name ?? 'Un proche aidant' } };
    case 'agent':
      return { ...common, who: { display: name ?? 'Un agent de l’Assurance Maladie' } };
    case 'system':
      return { ...common, who: { display: event.rule === 'insurance-feed' ? 'L’Assurance Maladie' : 'Le service Mon DMP' } };
    default:
      return { ...common, who: { display: 'Un opérateur ou une personne non identifiée' } };
  }
}

// ---- The `date` search parameter (FHIR R4 search, date type: prefixes ge, le, gt, lt, eq) ----

export interface DateRange {
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

const DAY_MS = 24 * 3600_000;
const DATE_VALUE = /^(ge|le|gt|lt|eq)?(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * `date=ge2026-01-01&date=le2026-03-31`: a day is the whole day (UTC), an instant is itself;
 * several values narrow the range together (AND).
 */
export function readDateRange(values: string[]): DateRange {
  const range: DateRange = {};
  const narrowFrom = (d: Date) => (range.from = range.from && range.from > d ? range.from : d);
  const narrowTo = (d: Date) => (range.to = range.to && range.to < d ? range.to : d);
  for (const value of values) {
    const match = DATE_VALUE.exec(value);
    const start = match ? new Date(`${match[2]}${match[3] ?? 'T00:00:00Z'}`) : null;
    if (!match || !start || Number.isNaN(start.getTime()) || (!match[3] && start.toISOString().slice(0, 10) !== match[2])) {
      throw new AppError(400, 'invalid-request', 'Demande incorrecte', 'Le paramètre date s’écrit ge, le, gt, lt ou eq suivi d’une date AAAA-MM-JJ (ou d’un instant AAAA-MM-JJThh:mm:ssZ).', [
        { field: 'date', message: `Date incorrecte : ${value}` },
      ]);
    }
    // The end of what the value names: the next day for a day, the next millisecond for an instant.
    const end = new Date(start.getTime() + (match[3] ? 1 : DAY_MS));
    switch (match[1] ?? 'eq') {
      case 'ge':
        narrowFrom(start);
        break;
      case 'gt':
        narrowFrom(end);
        break;
      case 'le':
        narrowTo(end);
        break;
      case 'lt':
        narrowTo(start);
        break;
      default:
        narrowFrom(start);
        narrowTo(end);
    }
  }
  return range;
}
