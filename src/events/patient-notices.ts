import type { Kysely } from 'kysely';
import { contactsOf, type RecordRole } from '../accounts';
import { isFirstRecordOf, membersOf } from '../records';
import { priorPresence, traceInTransaction } from '../audit';
import type { AuditEventInput } from '../audit';
import type { AppContext } from '../platform';
import { enqueueMessage, type EmailRecipient, type MobileRecipient } from '../notify';
import { preferencesOf, type NoticeFamily } from '../notify';

/**
 * Telling the patient that something happened on their record (DOMAIN.md §6): a first access
 * by a professional never seen on this record, any emergency access, a new document, a change
 * of contact or password, the closure or reactivation of the record.
 *
 * A notice never holds medical content: not the document's title or type, not the professional's
 * name or specialty (an oncologist's name says too much), only that something happened and
 * where to look: the access history, behind the login.
 *
 * The message is queued in the transaction of the traced event: kept if and only if the event is.
 */

export const HISTORY_PATH = '/mon-dmp/historique';

/** Who the notice is written for: the record's holder, or a legal representative. */
export type NoticeAudience = 'holder' | 'representative' | 'caregiver';

/** What the trail says about this event's actor, besides the event itself. */
export interface NoticeFacts {
  /** An earlier allowed event by this actor (same kind and id) exists on this record. */
  seenBefore: boolean;
  /** An earlier emergency event (emergency-access, or a break-glass / SAMU access) by this actor, within 24 hours. */
  emergencySeenRecently: boolean;
  audience: NoticeAudience;
}

export interface PatientNotice {
  family: NoticeFamily;
  /** Other families this one message also tells about: sent when any of them is switched on. */
  alsoCovers: NoticeFamily[];
  /** Who receives it: everyone linked to the record except the actor, everyone, or only the actor's own account. */
  recipients: 'others' | 'everyone' | 'actor';
  title: string;
  body: string;
  /** Where the message's link leads: the access history unless said otherwise. */
  path?: string;
}

const EMERGENCY_RULES = new Set(['break-glass', 'samu-regulator', 'samu']);
const EMERGENCY_WINDOW_MS = 24 * 3600_000;
/** Account changes that warrant a «was it you?» message. */
const CONTACT_SETTINGS: Readonly<Record<string, { title: string }>> = {
  password: { title: 'Le mot de passe de votre compte Mon DMP a été changé' },
  'password-reset': { title: 'Le mot de passe de votre compte Mon DMP a été changé' },
  mobile: { title: 'Le numéro de portable de votre compte Mon DMP a été changé' },
  email: { title: 'L’adresse e-mail de votre compte Mon DMP a été changée' },
  contact: { title: 'Les coordonnées de votre compte Mon DMP ont été changées' },
};

const isEmergency = (event: Pick<AuditEventInput, 'action' | 'rule'>) =>
  event.action === 'emergency-access' || (event.rule != null && EMERGENCY_RULES.has(event.rule));

/**
 * Pure: which notice, if any, an event gives, and its words. Only allowed events give one
 * (a refusal is in the history, with nothing to react to); at most one notice per event.
 */
export function noticeFor(event: AuditEventInput, facts: NoticeFacts): PatientNotice | null {
  if (!event.allowed) return null;
  const holder = facts.audience === 'holder';
  // A proche aidant is told about the record they help with, in their own words.
  const whose = facts.audience === 'caregiver' ? 'pour lequel vous êtes proche aidant' : 'dont vous êtes le représentant légal';
  const dmp = holder ? 'votre DMP' : `le DMP ${whose}`;
  const Dmp = holder ? 'Votre DMP' : `Le DMP ${whose}`;
  const toDmp = holder ? 'à votre DMP' : `au DMP ${whose}`;
  const ofDmp = holder ? 'de votre DMP' : `du DMP ${whose}`;
  // A proche aidant cannot open the access history: they are pointed to the patient instead.
  const caregiver = facts.audience === 'caregiver';
  const look = caregiver
    ? 'Pour savoir qui, quand et pourquoi, la personne que vous aidez peut consulter l’historique des accès de son DMP.'
    : 'Pour savoir qui, quand et pourquoi, connectez-vous à Mon DMP et consultez l’historique des accès.';
  const professional = event.actorKind === 'professional';

  if (professional && isEmergency(event)) {
    if (facts.emergencySeenRecently) return null;
    return {
      family: 'emergency-access',
      alsoCovers: facts.seenBefore ? [] : ['first-access-new-professional'],
      recipients: 'others',
      title: `Accès en urgence ${toDmp}`,
      body: `Un professionnel de santé a accédé ${toDmp} en urgence, sans autorisation préalable (accès « bris de glace » ou médecin régulateur du SAMU). ${look} Si cet accès vous semble anormal, vous pouvez le signaler à l’Assurance Maladie.`,
    };
  }

  if (professional && !facts.seenBefore && event.action !== 'create') {
    const deposit = event.action === 'deposit' || event.action === 'replace';
    return {
      family: 'first-access-new-professional',
      alsoCovers: deposit ? ['new-document'] : [],
      recipients: 'others',
      title: `Un nouveau professionnel de santé a accédé ${toDmp}`,
      body: `${deposit ? `Un professionnel de santé qui n’avait encore jamais accédé ${toDmp} vient d’y ajouter un document.` : `Un professionnel de santé qui n’avait encore jamais accédé ${toDmp} vient de le consulter.`} ${look}`,
    };
  }

  switch (event.action) {
    case 'deposit':
    case 'replace':
    case 'make-visible': {
      // The monthly feed of reimbursements would be a message a month for nothing new to read.
      if (event.actorKind === 'system' || event.rule === 'insurance-feed') return null;
      const title =
        event.action === 'make-visible'
          ? `Un document est maintenant visible dans ${dmp}`
          : event.action === 'replace'
            ? `Un document ${ofDmp} a été mis à jour`
            : `Un nouveau document a été ajouté ${toDmp}`;
      return {
        family: 'new-document',
        alsoCovers: [],
        recipients: 'others',
        title,
        body: caregiver
          ? `${title}. Pour le lire, connectez-vous à Mon DMP.`
          : `${title}. Pour le lire, connectez-vous à Mon DMP. Vous verrez aussi qui l’a ajouté dans l’historique des accès.`,
      };
    }
    case 'close':
    case 'reactivate': {
      const closed = event.action === 'close';
      return {
        family: 'closure-reactivation',
        alsoCovers: [],
        recipients: 'everyone',
        title: closed ? `${Dmp} a été fermé` : `${Dmp} a été réactivé`,
        body: closed
          ? `${Dmp} a été fermé : plus aucun professionnel de santé ne peut le consulter ni l’alimenter. Il est conservé 10 ans et peut être réactivé pendant ce temps. Si vous n’êtes pas à l’origine de cette fermeture, connectez-vous à Mon DMP et consultez l’historique des accès.`
          : `${Dmp} a été réactivé : les professionnels de santé peuvent de nouveau le consulter et l’alimenter, selon vos choix. Si vous n’êtes pas à l’origine de cette réactivation, connectez-vous à Mon DMP et consultez l’historique des accès.`,
      };
    }
    case 'delete-record': {
      // The record is gone, its history unreadable: the link leads home, where a new DMP can be created.
      const retention = event.actorKind === 'system';
      return {
        family: 'closure-reactivation',
        alsoCovers: [],
        recipients: 'everyone',
        title: `${Dmp} a été supprimé`,
        body: `${retention ? `${Dmp}, fermé depuis 10 ans, a été détruit comme prévu.` : `${Dmp} a été supprimé définitivement.`} Plus personne ne peut lire ses documents. Un nouveau DMP peut être créé à tout moment. Si vous n’êtes pas à l’origine de cette suppression, contactez l’Assurance Maladie.`,
        path: '/',
      };
    }
    case 'settings-changed': {
      const details = event.personal?.details ?? {};
      if (details.firstLogin === true) return null; // the first-login wizard: the person is there, choosing
      const setting = typeof details.setting === 'string' ? CONTACT_SETTINGS[details.setting] : undefined;
      if (!setting) return null;
      return {
        family: 'contact-or-password-change',
        alsoCovers: [],
        recipients: 'actor',
        title: setting.title,
        body: `${setting.title}. Si c’est vous, vous n’avez rien à faire. Si ce n’est pas vous, changez tout de suite votre mot de passe avec « Mot de passe oublié » sur Mon DMP, puis consultez l’historique des accès.`,
      };
    }
    default:
      return null;
  }
}

// ---- Queuing ----------------------------------------------------------------------------------

type Linked = { login_id: string; role: RecordRole; email: string | null; mobile: string | null };

export interface QueueOptions {
  /** More addresses for the same notice, e.g. the email or mobile just replaced by a contact change. */
  alsoTo?: (EmailRecipient | MobileRecipient)[];
}

/**
 * Queues, in `trx`, the notices `event` gives to the accounts linked to the record (its holder
 * and its legal representatives), by email and/or SMS as each of them chose. Call it in the
 * transaction that traced the event, AFTER tracing it (traceInTransaction): «a professional not
 * seen before» is read from the trail, the event itself left out. Returns how many messages
 * were queued.
 */
export async function queuePatientNotices(
  ctx: AppContext,
  trx: Kysely<any>,
  recordId: string,
  event: AuditEventInput,
  options: QueueOptions = {},
): Promise<number> {
  if (event.recordId.toLowerCase() !== recordId.toLowerCase()) throw new TypeError('queuePatientNotices: the event is about another record');
  if (!event.allowed) return 0;
  const id = recordId.toLowerCase();
  // Decided first, without a query: most events (the patient's own reads) give no notice at all.
  const probe = noticeFor(event, { seenBefore: true, emergencySeenRecently: false, audience: 'holder' });
  const mayBeFirst = event.actorKind === 'professional' && event.action !== 'create';
  if (!probe && !mayBeFirst) return 0;
  const linked = await linkedAccounts(trx, ctx.masterKey, id);
  const actorAccount = event.actorKind === 'patient' || event.actorKind === 'representative' || event.actorKind === 'caregiver' ? event.actorId : null;

  const facts = event.actorKind === 'professional' ? await actorFacts(ctx, trx, id, event) : { seenBefore: true, emergencySeenRecently: false };
  const kinds = noticeFor(event, { ...facts, audience: 'holder' });
  if (!kinds) return 0;

  let recipients: Linked[];
  if (kinds.recipients === 'actor') {
    // An account change is traced on every record of the account: told once, with the first record.
    if (!actorAccount || !(await isFirstRecordOf(trx, actorAccount, id))) return 0;
    const own = (await contactsOf(trx, ctx.masterKey, [actorAccount])).get(actorAccount);
    const role = linked.find((l) => l.login_id === actorAccount)?.role ?? 'holder';
    recipients = own ? [{ login_id: actorAccount, ...own, role }] : [];
  } else if (kinds.recipients === 'others') {
    recipients = linked.filter((l) => l.login_id !== actorAccount);
  } else {
    recipients = linked;
  }

  const prefs = await preferencesOf(trx, recipients.map((r) => r.login_id));
  const now = ctx.clock.now();
  const site = ctx.config.PUBLIC_URL.replace(/\/+$/, '');
  let queued = 0;
  const send = async (to: EmailRecipient | MobileRecipient, notice: PatientNotice) => {
    const link = `${site}${notice.path ?? HISTORY_PATH}`;
    await enqueueMessage(trx, ctx.masterKey, { kind: 'notification', to, data: { title: notice.title, body: notice.body, link } }, now);
    queued++;
  };
  for (const r of recipients) {
    const notice = noticeFor(event, { ...facts, audience: r.role === 'holder' ? 'holder' : r.role === 'caregiver' ? 'caregiver' : 'representative' })!;
    const choices = [notice.family, ...notice.alsoCovers].map((f) => prefs.get(r.login_id)![f]);
    if (r.email && choices.some((c) => c.email)) await send({ email: r.email }, notice);
    if (r.mobile && choices.some((c) => c.sms)) await send({ mobile: r.mobile }, notice);
  }
  for (const to of options.alsoTo ?? []) await send(to, noticeFor(event, { ...facts, audience: 'holder' })!);
  return queued;
}

/**
 * Traces an event and queues its notices, in the caller's transaction: the drop-in
 * replacement of traceInTransaction where an event may interest the patient.
 */
export async function traceAndNotify(ctx: AppContext, trx: Kysely<any>, event: AuditEventInput, options: QueueOptions = {}): Promise<void> {
  await traceInTransaction(ctx, trx, event);
  await queuePatientNotices(ctx, trx, event.recordId, event, options);
}

/** The same in a transaction of its own: the replacement of traceEvent. */
export async function traceEventAndNotify(ctx: AppContext, event: AuditEventInput, options: QueueOptions = {}): Promise<void> {
  await ctx.database.db.transaction().execute((trx) => traceAndNotify(ctx, trx, event, options));
}

/** The holder, representatives and caregivers, with where to reach each (their own login's row). */
async function linkedAccounts(trx: Kysely<any>, masterKey: Buffer, recordId: string): Promise<Linked[]> {
  const members = await membersOf(trx, recordId);
  const contacts = await contactsOf(trx, masterKey, members.map((m) => m.loginId));
  return members.map((m) => ({ login_id: m.loginId, role: m.role, email: contacts.get(m.loginId)?.email ?? null, mobile: contacts.get(m.loginId)?.mobile ?? null }));
}

/** Was this professional seen on the record before, and in an emergency lately? Read from the trail. */
function actorFacts(ctx: AppContext, trx: Kysely<any>, recordId: string, event: AuditEventInput) {
  const since = new Date(ctx.clock.now().getTime() - EMERGENCY_WINDOW_MS);
  return priorPresence(trx, recordId, event, { emergencySince: since, emergencyRules: [...EMERGENCY_RULES] });
}
