import type { Kysely } from 'kysely';
import type { RuleId } from '../access';
import type { AppContext } from '../platform';
import { PROFESSIONS } from '../directory';
import { documentVersions } from '../documents';
import { auditCipher } from '../audit';
import { ACTION_LABELS, ACTOR_KIND_LABELS } from './history-labels';
import type { AuditTables } from '../audit';
import { ACTOR_KINDS, AUDIT_ACTIONS, HISTORY_PAGE_MAX, readHistory, type ActorKind, type AuditAction, type AuditPersonal, type HistoryEvent } from '../audit';
import { membersOf } from '../records';

/**
 * «Historique des accès» as the patient reads it (DOMAIN.md §6): each traced event becomes one
 * plain French sentence, who (name, profession), what, on which document, when (Paris time)
 * and under which rule, refusals included and said as such:
 * «Dr Claire Martin, médecin, a consulté votre document « Compte rendu d'hospitalisation »
 *  le 12 mars 2026 à 10 h 42, avec votre autorisation.»
 * The sentences are built here (pure functions); loading reads the trail and the documents'
 * titles through their own modules.
 */

/** Who reads the history: the record's holder, or a legal representative acting for them. */
export type HistoryAudience = 'holder' | 'representative';

export interface HistoryView {
  /** The signed-in account: its own actions are told with «Vous». */
  viewerLoginId: string;
  audience: HistoryAudience;
  /** The accounts holding the record: a «patient» actor who is not one of them is an outsider. */
  holderIds?: readonly string[];
}

/** Rules that say the actor has nothing to do with the record. */
const OUTSIDER_RULES = new Set(['not-titulaire', 'not-representative', 'not-caregiver', 'unknown-actor']);

// ---- Labels -----------------------------------------------------------------------------------

export { ACTION_LABELS, ACTOR_KIND_LABELS };

// Every action and actor kind of the trail has its label, and no label names an unknown one.
type Exactly<T, K extends PropertyKey> = [Exclude<keyof T, K>, Exclude<K, keyof T>] extends [never, never] ? true : false;
const labelsMatch: [Exactly<typeof ACTION_LABELS, AuditAction>, Exactly<typeof ACTOR_KIND_LABELS, ActorKind>] = [true, true];
void labelsMatch;

const actionLabel = (action: string): string => ACTION_LABELS[action as AuditAction] ?? 'Autre action';
const kindLabel = (kind: string): string => ACTOR_KIND_LABELS[kind as ActorKind] ?? 'Autre';

// ---- Time, in Paris ---------------------------------------------------------------------------

const PARIS = 'Europe/Paris';
const parisParts = new Intl.DateTimeFormat('fr-FR', {
  timeZone: PARIS,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h23',
});
const numericParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: PARIS,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function partsOf(format: Intl.DateTimeFormat, instant: Date): Record<string, string> {
  return Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
}

/** «12 mars 2026 à 10 h 42», «1er avril 2026 à 9 h 05», in Paris time. */
export function parisDateTime(instant: Date): string {
  const p = partsOf(parisParts, instant);
  const day = p.day === '1' ? '1er' : p.day;
  return `${day} ${p.month} ${p.year} à ${Number(p.hour)} h ${p.minute}`;
}

/** «12/03/2026 10:42», Paris time: what a spreadsheet reads as a date. */
export function parisNumericDateTime(instant: Date): string {
  const p = partsOf(numericParts, instant);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** «2026-03-12», the calendar day in Paris. */
export function parisDay(instant: Date): string {
  const p = partsOf(numericParts, instant);
  return `${p.year}-${p.month}-${p.day}`;
}

function parisOffsetMs(instant: number): number {
  const p = partsOf(numericParts, new Date(instant));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a calendar day (YYYY-MM-DD) starts in Paris, summer time included. */
export function parisDayStart(day: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`not a calendar day: ${day}`);
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const first = guess - parisOffsetMs(guess);
  return new Date(guess - parisOffsetMs(first));
}

/** The day after, as YYYY-MM-DD (for an inclusive «au» date). */
export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

// ---- Why: the access rule, in a few words ----------------------------------------------------

type Reason = string | ((personal: AuditPersonal | null, you: boolean) => string | null);

/** Rules of the trail that are not the policy's: the login's own reasons, and the destruction of a record. */
type ExtraRule = 'wrong-password' | 'account-locked' | 'titulaire-only' | 'retention-10-years';

/**
 * One short phrase per rule of the access policy, in the words of the history: after a
 * permission it says how («avec votre autorisation»), after a refusal why («vous l'aviez
 * bloqué»). A rule added to the policy without its phrase here does not compile.
 */
const RULE_PHRASES: Readonly<Record<RuleId | ExtraRule, Reason>> = {
  // Who the actor is.
  'unknown-actor': 'cette personne n’a aucun droit sur ce DMP',
  'unknown-action': 'cette action n’existe pas',
  'document-required': 'le document n’était pas précisé',
  'not-titulaire': 'ce DMP n’est pas le sien',
  'not-representative': 'cette personne n’est pas déclarée comme représentant légal',
  'not-caregiver': 'cette personne ne fait pas partie des proches aidants',
  // Permissions.
  titulaire: (_p, you) => (you ? null : 'en tant que titulaire du DMP'),
  'legal-representative': 'en tant que représentant légal',
  caregiver: 'en tant que proche aidant',
  'own-document': 'en tant qu’auteur du document',
  'treating-doctor': 'en tant que médecin traitant',
  'treating-doctor-block-ignored': 'en tant que médecin traitant (un médecin traitant ne peut pas être bloqué)',
  'authorized-consent': 'avec votre autorisation',
  'authorized-care-team': 'en tant que membre de votre équipe de soins',
  'document-author': 'en tant qu’auteur du document',
  'deposit-right': 'avec le droit de dépôt de tout professionnel de santé non bloqué',
  'break-glass': (p) => {
    const reason = p?.reason?.trim();
    return reason ? `en urgence (bris de glace) : ${reason}` : 'en urgence (bris de glace)';
  },
  'samu-regulator': 'en urgence, en tant que médecin régulateur du SAMU',
  'occupational-consent': 'avec votre accord pour cette consultation de médecine du travail',
  'professional-creation': 'avec votre accord',
  'insurance-agent-creation': 'avec votre accord, en votre présence',
  'insurance-feed': 'par le versement automatique de vos remboursements',
  // Refusals.
  'record-closed': 'le DMP était fermé',
  'record-not-closed': 'le DMP n’était pas fermé',
  'document-deleted': 'le document avait été supprimé',
  'document-not-current': 'le document avait été remplacé par une version plus récente',
  'hidden-from-patient': 'le document n’était pas encore visible pour le patient',
  'hidden-from-representatives': 'le document n’est pas visible pour les représentants légaux',
  'masked-document': 'le document est masqué',
  'not-author': 'seul son auteur peut le faire',
  'not-author-nor-treating-doctor': 'seuls son auteur et le médecin traitant peuvent le faire',
  'visibility-set-by-professional': 'seul un professionnel de santé peut le faire',
  'reimbursements-from-insurance-only': 'seule l’Assurance Maladie verse les remboursements',
  'caregiver-limits': 'un proche aidant n’a pas ce droit',
  'blocked-professional': 'vous l’aviez bloqué',
  'not-authorized': 'vous ne l’aviez pas autorisé et il ne fait pas partie de votre équipe de soins',
  'profession-matrix': 'sa profession n’a pas accès à ce type de document',
  'break-glass-refused': 'vous aviez refusé l’accès en urgence (bris de glace)',
  'break-glass-expired': 'l’accès en urgence avait pris fin',
  'break-glass-invalid': 'un accès en urgence demande un motif',
  'samu-refused': 'vous aviez refusé l’accès par le SAMU',
  'not-samu-regulator': 'seul un médecin régulateur du SAMU peut utiliser cet accès',
  'occupational-no-consent': 'vous n’aviez pas donné votre accord à ce médecin du travail',
  'occupational-limits': 'un médecin du travail peut seulement lire et ajouter des documents',
  'history-treating-doctor-only': 'parmi les professionnels de santé, seul le médecin traitant consulte l’historique',
  'patient-decides': 'seuls vous et vos représentants légaux pouvez le faire',
  'insurance-no-medical-content': 'un agent de l’Assurance Maladie ne voit jamais le contenu médical',
  'insurance-feed-limits': 'l’Assurance Maladie peut seulement verser vos remboursements',
  'wrong-password': 'identifiant, mot de passe ou code incorrect',
  'account-locked': 'trop d’essais : la connexion est bloquée pour un moment',
  'titulaire-only': 'seul le titulaire peut supprimer son DMP',
  'retention-10-years': 'dix ans après sa fermeture, comme prévu',
};

/** Other names some callers give to the same rules. */
const RULE_ALIASES: Readonly<Record<string, RuleId>> = {
  holder: 'titulaire',
  'care-team': 'authorized-care-team',
  consent: 'authorized-consent',
  blocked: 'blocked-professional',
  'treating-physician': 'treating-doctor',
  samu: 'samu-regulator',
};

/**
 * The short reason that ends a sentence: «avec votre autorisation», «en urgence (bris de
 * glace) : patient inconscient», «accès refusé : vous l'aviez bloqué». Null when there is
 * nothing worth saying (you acting on your own record).
 */
export function ruleReason(rule: string | null, allowed: boolean, personal: AuditPersonal | null = null, you = false): string | null {
  const id = rule ? (RULE_ALIASES[rule] ?? rule) : null;
  const phrase = id && Object.hasOwn(RULE_PHRASES, id) ? RULE_PHRASES[id as RuleId] : null;
  const text = typeof phrase === 'function' ? phrase(personal, you) : phrase;
  if (allowed) return text;
  return text ? `accès refusé : ${text}` : 'accès refusé';
}

// ---- Who --------------------------------------------------------------------------------------

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const clean = (s: string | undefined | null): string | null => {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? t.slice(0, 200) : null;
};

/** «médecin» for G15_10, the text as given otherwise (first letter lowered: it follows a comma). */
export function professionLabel(profession: string | null | undefined): string | null {
  const p = clean(profession);
  if (!p) return null;
  const label = PROFESSIONS[p] ?? p;
  return label.charAt(0).toLowerCase() + label.slice(1);
}

function isViewer(event: Pick<HistoryEvent, 'actorKind' | 'actorId'>, view: HistoryView): boolean {
  return (event.actorKind === 'patient' || event.actorKind === 'representative') && event.actorId === view.viewerLoginId;
}

/** The subject of the sentence (without the verb), and the name alone for the «Qui» column. */
function actorOf(event: HistoryEvent, view: HistoryView, conceal: boolean): { subject: string; name: string; you: boolean } {
  if (isViewer(event, view)) return { subject: 'Vous', name: 'Vous', you: true };
  if (event.rule && OUTSIDER_RULES.has(event.rule)) return named(null, 'Une personne sans droit sur ce DMP');
  if (conceal) return named(null, event.actorKind === 'professional' ? 'Un professionnel de santé' : 'Une personne');
  const name = clean(event.personal?.actorName);
  const profession = professionLabel(event.personal?.profession);
  switch (event.actorKind) {
    case 'professional': {
      if (name) return { subject: profession ? `${name}, ${profession},` : name, name, you: false };
      const details = [profession, `RPPS ${event.actorId}`].filter(Boolean).join(', ');
      return { subject: `Un professionnel de santé (${details})`, name: `Professionnel de santé (${details})`, you: false };
    }
    case 'patient':
      if (view.holderIds && !view.holderIds.includes(event.actorId)) return named(null, 'Une personne sans droit sur ce DMP');
      return named(name, view.audience === 'holder' ? 'Le titulaire du DMP' : 'La personne titulaire de ce DMP');
    case 'representative':
      return named(name, 'Un représentant légal');
    case 'caregiver':
      return named(name, 'Un proche aidant');
    case 'agent':
      return name
        ? { subject: `${name}, agent de l’Assurance Maladie,`, name, you: false }
        : { subject: 'Un agent de l’Assurance Maladie', name: 'Agent de l’Assurance Maladie', you: false };
    case 'system':
      if (name) return named(name, name);
      return event.rule === 'insurance-feed' || /assurance|cnam|insurance/i.test(event.actorId)
        ? named(null, 'L’Assurance Maladie')
        : named(null, 'Le service Mon DMP');
    case 'operator':
      return named(null, 'Un opérateur technique du service');
    default:
      return named(null, 'Une personne non identifiée');
  }
}

function named(name: string | null, fallback: string): { subject: string; name: string; you: boolean } {
  return { subject: name ?? fallback, name: name ?? fallback, you: false };
}

// ---- What -------------------------------------------------------------------------------------

type Words = {
  /** The document: «votre document « Radio du genou »», «un document». */
  doc: string;
  /** «votre DMP» for its holder, «ce DMP» for a representative. */
  dmp: string;
  /** «vos documents», «les documents de ce DMP». */
  docs: string;
  /** «votre» when the actor is the reader, «son» otherwise. */
  own: string;
  details: Record<string, unknown>;
};

/** Each action: what was done (after «a» / «avez»), and what was attempted (after «a tenté de»). */
const PHRASES: Readonly<Record<AuditAction, { done: (w: Words) => string; tried: (w: Words) => string }>> = {
  create: {
    done: (w) => `créé ${w.dmp}${w.details.channel === 'online' ? ' en ligne' : ''}`,
    tried: (w) => `créer ${w.dmp}`,
  },
  'read-list': { done: (w) => `consulté la liste de ${w.docs}`, tried: (w) => `consulter la liste de ${w.docs}` },
  'open-document': { done: (w) => `consulté ${w.doc}`, tried: (w) => `consulter ${w.doc}` },
  deposit: { done: (w) => `ajouté ${w.doc} à ${w.dmp}`, tried: (w) => `ajouter ${w.doc} à ${w.dmp}` },
  replace: { done: (w) => `remplacé ${w.doc} par une nouvelle version`, tried: (w) => `remplacer ${w.doc}` },
  mask: { done: (w) => `masqué ${w.doc} aux professionnels de santé`, tried: (w) => `masquer ${w.doc}` },
  unmask: { done: (w) => `rendu ${w.doc} de nouveau visible aux professionnels de santé`, tried: (w) => `démasquer ${w.doc}` },
  'make-visible': { done: (w) => `rendu ${w.doc} visible dans ${w.dmp}`, tried: (w) => `rendre ${w.doc} visible` },
  delete: { done: (w) => `supprimé ${w.doc}`, tried: (w) => `supprimer ${w.doc}` },
  'authorization-given': {
    done: (w) => `autorisé l’accès ${ofWhom(w)} à ${w.dmp}`,
    tried: (w) => `autoriser l’accès ${ofWhom(w)} à ${w.dmp}`,
  },
  'authorization-revoked': {
    done: (w) => `retiré l’autorisation d’accès ${ofWhom(w)} à ${w.dmp}`,
    tried: (w) => `retirer l’autorisation d’accès ${ofWhom(w)} à ${w.dmp}`,
  },
  block: { done: (w) => `bloqué l’accès ${ofWhom(w)} à ${w.dmp}`, tried: (w) => `bloquer l’accès ${ofWhom(w)} à ${w.dmp}` },
  unblock: { done: (w) => `débloqué l’accès ${ofWhom(w)} à ${w.dmp}`, tried: (w) => `débloquer l’accès ${ofWhom(w)} à ${w.dmp}` },
  'emergency-access': { done: (w) => `ouvert un accès en urgence à ${w.dmp}`, tried: (w) => `ouvrir un accès en urgence à ${w.dmp}` },
  login: { done: () => 'ouvert une session sur Mon DMP', tried: () => 'ouvrir une session sur Mon DMP' },
  'login-failed': { done: () => 'ouvert une session sur Mon DMP', tried: () => 'ouvrir une session sur Mon DMP' },
  'settings-changed': { done: settingChanged, tried: (w) => `modifier les paramètres de ${w.dmp}` },
  export: {
    done: (w) =>
      w.details.content === 'history'
        ? `téléchargé l’historique des accès de ${w.dmp}${typeof w.details.format === 'string' ? ` (${w.details.format.toUpperCase()})` : ''}`
        : `téléchargé une copie de ${w.dmp}`,
    tried: (w) => `télécharger une copie de ${w.dmp}`,
  },
  close: { done: (w) => `fermé ${w.dmp}`, tried: (w) => `fermer ${w.dmp}` },
  reactivate: { done: (w) => `réactivé ${w.dmp}`, tried: (w) => `réactiver ${w.dmp}` },
  'delete-record': { done: (w) => `supprimé définitivement ${w.dmp}`, tried: (w) => `supprimer définitivement ${w.dmp}` },
};

/** «de Dr Jean Dupont», «du professionnel de santé RPPS 10001234565», «d’un professionnel de santé». */
function ofWhom(w: Words): string {
  const name = w.details.professionalName ?? w.details.target;
  if (typeof name === 'string' && name.trim()) return `de ${name.trim().slice(0, 200)}`;
  const rpps = w.details.rpps;
  if (typeof rpps === 'string' && /^\d{11}$/.test(rpps)) return `du professionnel de santé RPPS ${rpps}`;
  return 'd’un professionnel de santé';
}

function settingChanged(w: Words): string {
  switch (w.details.setting) {
    case 'password':
      return `changé ${w.own} mot de passe`;
    case 'password-reset':
      return `remplacé ${w.own} mot de passe oublié`;
    case 'mobile':
      return `changé ${w.own} numéro de portable`;
    case 'email':
      return `changé ${w.own} adresse e-mail`;
    case 'notifications':
      return `modifié ${w.own === 'votre' ? 'vos' : 'ses'} choix de notifications`;
    case 'emergency-access': {
      const yesNo = (v: unknown) => (v ? 'autorisé' : 'refusé');
      const both = 'breakGlass' in w.details && 'samu' in w.details;
      return `modifié les choix d’accès en urgence de ${w.dmp}${both ? ` (bris de glace : ${yesNo(w.details.breakGlass)}, SAMU : ${yesNo(w.details.samu)})` : ''}`;
    }
    default:
      return `modifié les paramètres de ${w.dmp}`;
  }
}

/** «de ouvrir» → «d’ouvrir». */
const elide = (word: string, next: string) => (/^[aeéèêiîoôu]/i.test(next) ? `${word.slice(0, -1)}’${next}` : `${word} ${next}`);

// ---- The sentence -----------------------------------------------------------------------------

/** One line of the history, as the API gives it and the exports write it. */
export interface HistoryEntry {
  seq: number;
  occurredAt: string;
  /** «12 mars 2026 à 10 h 42», Paris time. */
  when: string;
  who: string;
  whoLabel: string;
  /** «Dr Claire Martin», «Vous», «Un agent de l'Assurance Maladie». */
  actorName: string;
  profession: string | null;
  workplace: string | null;
  what: string;
  whatLabel: string;
  documentId: string | null;
  /** The document as named in the sentence, or null. */
  document: string | null;
  allowed: boolean;
  rule: string | null;
  /** «avec votre autorisation», «accès refusé : vous l'aviez bloqué», or null. */
  reason: string | null;
  sentence: string;
}

const MAX_TITLE = 120;

/** How a document is named in a sentence: its title when the reader may see it, else «un document». */
export function documentWords(title: string | null, audience: HistoryAudience): string {
  const t = clean(title);
  if (!t) return 'un document';
  const short = t.length > MAX_TITLE ? `${t.slice(0, MAX_TITLE - 1)}…` : t;
  return `${audience === 'holder' ? 'votre' : 'le'} document « ${short} »`;
}

/** What the reader may know of the document an event is about. */
export interface DocumentFacts {
  /** Null to say «un document» (unknown, unreadable, hidden from the patient or from representatives). */
  title: string | null;
  /**
   * A document hidden from legal representatives (a minor's secret, CSP art. L1111-5): the
   * representative sees that something happened, not who did it (a specialty would say too much).
   */
  concealActor?: boolean;
}

/** The sentence of one event. */
export function toEntry(event: HistoryEvent, view: HistoryView, document: DocumentFacts | string | null = null): HistoryEntry {
  const facts: DocumentFacts = typeof document === 'string' || document === null ? { title: document } : document;
  const documentTitle = facts.title;
  const conceal = facts.concealActor === true;
  const actor = actorOf(event, view, conceal);
  const holder = view.audience === 'holder';
  const words: Words = {
    doc: event.documentId ? documentWords(documentTitle, view.audience) : 'un document',
    dmp: holder ? 'votre DMP' : 'ce DMP',
    docs: holder ? 'vos documents' : 'les documents de ce DMP',
    own: actor.you ? 'votre' : 'son',
    details: (event.personal?.details ?? {}) as Record<string, unknown>,
  };
  const phrase = PHRASES[event.action as AuditAction];
  const aux = actor.you ? 'avez' : 'a';
  const when = parisDateTime(event.occurredAt);
  const emergencyReason = clean(event.personal?.reason);
  const reason =
    // «a ouvert un accès en urgence…, en urgence (bris de glace)» would say it twice: the motive alone.
    event.action === 'emergency-access' && event.allowed && !conceal
      ? emergencyReason
        ? `motif : « ${emergencyReason} »`
        : null
      : ruleReason(event.rule, event.allowed, conceal ? null : event.personal, actor.you);
  const attempted = !event.allowed || event.action === 'login-failed';
  const what = phrase
    ? attempted
      ? `${aux} tenté ${elide('de', phrase.tried(words))}`
      : `${aux} ${phrase.done(words)}`
    : `${aux} ${attempted ? 'tenté une action' : 'fait une action'} sur ${words.dmp}`;
  const sentence = `${capitalize(actor.subject)} ${what} le ${when}${reason ? `, ${reason}` : attempted ? ', accès refusé' : ''}.`;
  return {
    seq: event.seq,
    occurredAt: event.occurredAt.toISOString(),
    when,
    who: event.actorKind,
    whoLabel: kindLabel(event.actorKind),
    actorName: actor.name,
    profession: conceal || actor.you ? null : professionLabel(event.personal?.profession),
    workplace: conceal || actor.you ? null : clean(event.personal?.workplace),
    what: event.action,
    whatLabel: actionLabel(event.action),
    documentId: event.documentId,
    document: event.documentId ? words.doc : null,
    allowed: event.allowed && event.action !== 'login-failed',
    rule: event.rule,
    reason,
    sentence,
  };
}

// ---- Loading ----------------------------------------------------------------------------------

export interface HistoryFilters {
  /** An actor kind. */
  who?: string;
  /** An action. */
  what?: string;
  /** Calendar days in Paris, both included. */
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export const isActorKind = (v: string): v is ActorKind => (ACTOR_KINDS as readonly string[]).includes(v);
export const isAuditAction = (v: string): v is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(v);

/**
 * Titles of the documents named in a page of events, read through the documents module and
 * kept for the request. A document hidden from the reader (not yet explained to the patient,
 * or hidden from representatives) is named «un document», never by its title.
 */
export function documentTitles(ctx: AppContext, recordId: string, audience: HistoryAudience) {
  const cache = new Map<string, Promise<DocumentFacts>>();
  return (documentId: string): Promise<DocumentFacts> => {
    let facts = cache.get(documentId);
    if (!facts) {
      facts = documentVersions(ctx, recordId, documentId)
        .then((versions): DocumentFacts => {
          const newest = versions[0];
          if (!newest) return { title: null };
          if (audience === 'representative' && newest.hiddenFromRepresentatives) return { title: null, concealActor: true };
          if (newest.hiddenFromPatient) return { title: null };
          return { title: newest.title };
        })
        .catch(() => ({ title: null })); // key destroyed, or no such document: «un document»
      cache.set(documentId, facts);
    }
    return facts;
  };
}

async function toEntries(ctx: AppContext, view: HistoryView, events: HistoryEvent[], factsOf: (id: string) => Promise<DocumentFacts>) {
  const entries: HistoryEntry[] = [];
  for (const event of events) entries.push(toEntry(event, view, event.documentId ? await factsOf(event.documentId) : null));
  return entries;
}

/** The accounts holding the record (its titulaire's own login). */
async function holdersOf(db: Kysely<any>, recordId: string): Promise<string[]> {
  return (await membersOf(db, recordId)).filter((m) => m.role === 'holder').map((m) => m.loginId);
}

function range(filters: Pick<HistoryFilters, 'from' | 'to'>): { from?: Date; to?: Date } {
  return {
    ...(filters.from ? { from: parisDayStart(filters.from) } : {}),
    ...(filters.to ? { to: parisDayStart(nextDay(filters.to)) } : {}),
  };
}

/** One page of the history, newest first, with the number of events matching the filters. */
export async function loadHistoryPage(
  ctx: AppContext,
  recordId: string,
  view: HistoryView,
  filters: HistoryFilters,
): Promise<{ total: number; limit: number; offset: number; entries: HistoryEntry[] }> {
  const db = ctx.database.db as Kysely<any>;
  const { from, to } = range(filters);
  const query = {
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(filters.who ? { actorKind: filters.who } : {}),
    ...(filters.what ? { action: filters.what } : {}),
  };
  const [events, total, holderIds] = await Promise.all([
    readHistory(db, recordId, auditCipher(db, ctx.masterKey, ctx.clock.now()), { ...query, limit: filters.limit, offset: filters.offset }),
    countHistory(db, recordId, query),
    holdersOf(db, recordId),
  ]);
  const entries = await toEntries(ctx, { holderIds, ...view }, events, documentTitles(ctx, recordId, view.audience));
  return { total, limit: filters.limit, offset: filters.offset, entries };
}

async function countHistory(db: Kysely<any>, recordId: string, q: { from?: Date; to?: Date; actorKind?: string; action?: string }): Promise<number> {
  let query = (db as Kysely<AuditTables>).selectFrom('audit_event').where('record_id', '=', recordId.toLowerCase());
  if (q.from) query = query.where('occurred_at', '>=', q.from);
  if (q.to) query = query.where('occurred_at', '<', q.to);
  if (q.actorKind) query = query.where('actor_kind', '=', q.actorKind);
  if (q.action) query = query.where('action', '=', q.action);
  const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The whole history, oldest first: what the patient downloads. */
export async function loadWholeHistory(ctx: AppContext, recordId: string, view: HistoryView): Promise<HistoryEntry[]> {
  const db = ctx.database.db as Kysely<any>;
  const cipher = auditCipher(db, ctx.masterKey, ctx.clock.now());
  const titleOf = documentTitles(ctx, recordId, view.audience);
  const full = { holderIds: await holdersOf(db, recordId), ...view };
  // Pages newest first: events appended meanwhile shift the pages, hence the seq as key.
  const bySeq = new Map<number, HistoryEntry>();
  for (let offset = 0; ; offset += HISTORY_PAGE_MAX) {
    const events = await readHistory(db, recordId, cipher, { limit: HISTORY_PAGE_MAX, offset });
    for (const entry of await toEntries(ctx, full, events, titleOf)) bySeq.set(entry.seq, entry);
    if (events.length < HISTORY_PAGE_MAX) break;
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
