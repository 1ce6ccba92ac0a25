/**
 * The French sentence that goes with each decision. It is written for the titulaire, who reads
 * it in the access history (« vous » is the patient): « Le Dr Martin peut lire ce document car
 * vous l'avez autorisé. » When the actor is the titulaire, the subject is « Vous ».
 */
import { PROFESSIONS } from '../directory';
import { categoryLabel } from '../../shared/catalogue';
import { BREAK_GLASS_DURATION_MS, type AccessRequest, type Action, type RuleId, type Verdict } from './types';

const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });

const DEFAULT_LABELS: Readonly<Record<string, string>> = {
  patient: 'Cette personne',
  representative: 'Votre représentant légal',
  caregiver: 'Votre proche aidant',
  professional: 'Ce professionnel de santé',
  agent: 'L’agent de l’Assurance Maladie',
  system: 'Ce système',
};

const ACTION_PHRASES: Readonly<Record<Action, string>> = {
  list: 'voir ce document dans la liste',
  read: 'lire ce document',
  deposit: 'ajouter ce document à votre dossier',
  replace: 'remplacer ce document',
  delete: 'supprimer ce document',
  mask: 'masquer ce document',
  unmask: 'démasquer ce document',
  'make-visible-to-patient': 'vous rendre ce document visible',
  'read-history': 'consulter l’historique des accès à votre dossier',
  'manage-sharing': 'gérer les accès à votre dossier',
  'manage-credentials': 'gérer les identifiants de connexion à votre dossier',
  close: 'fermer votre dossier',
  reactivate: 'réactiver votre dossier',
  export: 'télécharger une copie de votre dossier',
  'create-record': 'créer votre dossier',
};

type Clause = (request: AccessRequest) => string;

const isTitulaire = (request: AccessRequest): boolean =>
  request.actor.kind === 'patient' && request.actor.id === request.record.patientId;

const formatTime = (instant: number): string => dateTime.format(new Date(instant));

/** Why, after « car ». One entry per rule: adding a rule without its sentence does not compile. */
const CLAUSES: Readonly<Record<RuleId, Clause>> = {
  'unknown-actor': () =>
    'seuls vous, vos représentants légaux, vos proches aidants, les professionnels de santé qui vous soignent et l’Assurance Maladie, chacun dans son rôle, ont accès à votre dossier',
  'unknown-action': () => 'cette action n’existe pas',
  'document-required': () => 'le document concerné n’a pas été précisé',
  'not-titulaire': () => 'ce dossier n’est pas le sien',
  'not-representative': () => 'cette personne n’est pas déclarée comme votre représentant légal',
  'not-caregiver': () => 'cette personne ne fait pas partie de vos proches aidants',
  titulaire: () => 'c’est votre dossier',
  'legal-representative': () => 'cette personne vous représente légalement et agit pour vous',
  caregiver: () => 'vous avez choisi cette personne comme proche aidant',
  'own-document': ownDocument,
  'treating-doctor': () => 'c’est votre médecin traitant',
  'treating-doctor-block-ignored': () =>
    'c’est votre médecin traitant : un médecin traitant ne peut pas être bloqué, votre blocage ne s’applique donc pas',
  'authorized-consent': () => 'vous l’avez autorisé',
  'authorized-care-team': () => 'ce professionnel fait partie de votre équipe de soins et vous ne vous y êtes pas opposé',
  'document-author': () => 'ce professionnel en est l’auteur',
  'deposit-right': () =>
    'tout professionnel de santé que vous n’avez pas bloqué peut ajouter des documents à votre dossier, même sans pouvoir les lire',
  'break-glass': (request) => {
    const breakGlass = request.context.breakGlass!;
    return `il s’agit d’un accès d’urgence (bris de glace) pour le motif « ${breakGlass.reason.trim()} », valable jusqu’au ${formatTime(breakGlass.startedAt.getTime() + BREAK_GLASS_DURATION_MS)}`;
  },
  'samu-regulator': () =>
    'c’est le médecin régulateur du SAMU qui traite un appel d’urgence et vous n’avez pas refusé cet accès',
  'occupational-consent': () => 'vous y avez consenti pour cette consultation de médecine du travail',
  'professional-creation': () => 'un professionnel de santé peut créer votre dossier avec votre accord',
  'insurance-agent-creation': () =>
    'un agent de l’Assurance Maladie peut créer votre dossier avec votre accord, en votre présence',
  'insurance-feed': () => 'l’Assurance Maladie verse automatiquement l’historique de vos soins remboursés',
  'record-closed': (request) => {
    if (request.action === 'create-record') return 'votre dossier existe déjà mais il est fermé : il peut être réactivé';
    return isTitulaire(request) ? 'votre dossier est fermé : réactivez-le d’abord' : 'votre dossier est fermé';
  },
  'record-not-closed': () => 'votre dossier est ouvert',
  'document-deleted': () => 'ce document a été supprimé',
  'document-not-current': () => 'ce document a été remplacé par une version plus récente',
  'hidden-from-patient': (request) =>
    isTitulaire(request)
      ? 'un professionnel de santé doit d’abord vous l’expliquer avant de le rendre visible'
      : 'il n’est pas encore visible pour vous : un professionnel de santé doit d’abord vous l’expliquer',
  'hidden-from-representatives': () => 'il a été rendu invisible pour vos représentants légaux',
  'masked-document': (request) => {
    const inEmergency = request.context.mode !== 'normal' && !request.record.emergency.maskedVisibleInEmergency;
    return `il est masqué : seuls vous, son auteur et votre médecin traitant peuvent le voir${inEmergency ? ', y compris en urgence, comme vous l’avez choisi' : ''}`;
  },
  'not-author': (request) =>
    request.actor.kind === 'patient' || request.actor.kind === 'representative'
      ? 'seul le professionnel qui l’a déposé peut le remplacer ou le supprimer ; vous pouvez le masquer'
      : 'seul son auteur peut le remplacer ou le supprimer',
  'not-author-nor-treating-doctor': () =>
    'seuls le professionnel qui l’a déposé et votre médecin traitant peuvent le rendre visible',
  'visibility-set-by-professional': () =>
    'seul un professionnel de santé peut déposer un document invisible pour vous ou pour vos représentants légaux',
  'reimbursements-from-insurance-only': () => 'seule l’Assurance Maladie verse les données de remboursement',
  'caregiver-limits': () =>
    'un proche aidant peut lire et ajouter des documents, mais ni masquer, ni gérer les accès ou les identifiants, ni fermer le dossier, ni en télécharger une copie',
  'blocked-professional': () => 'vous l’avez bloqué',
  'not-authorized': () => 'vous ne l’avez pas autorisé et ce professionnel ne fait pas partie de votre équipe de soins',
  'profession-matrix': (request) => {
    const profession = PROFESSIONS[request.actor.profession ?? ''];
    const who = profession === undefined ? 'sa profession' : `la profession « ${profession} »`;
    return `${who} n’a pas accès aux documents de la catégorie « ${categoryLabel(request.document!.category)} »`;
  },
  'break-glass-refused': () => 'vous avez refusé l’accès en urgence (bris de glace)',
  'break-glass-expired': (request) =>
    `l’accès d’urgence ouvert le ${formatTime(request.context.breakGlass!.startedAt.getTime())} a pris fin au bout de 24 heures`,
  'break-glass-invalid': () => 'un accès d’urgence demande un motif et une heure de début valables',
  'samu-refused': () => 'vous avez refusé l’accès par le médecin régulateur du SAMU',
  'not-samu-regulator': () => 'seul un médecin régulateur du SAMU peut utiliser l’accès réservé au SAMU',
  'occupational-no-consent': () =>
    'un médecin du travail n’a accès à votre dossier qu’avec votre accord exprès, donné pour cette consultation',
  'occupational-limits': () => 'un médecin du travail, même avec votre accord, peut seulement lire et ajouter des documents',
  'history-treating-doctor-only': () =>
    'parmi les professionnels de santé, seul votre médecin traitant peut consulter l’historique des accès',
  'patient-decides': () => 'seuls vous et vos représentants légaux pouvez le faire',
  'insurance-no-medical-content': () =>
    'un agent de l’Assurance Maladie ne voit jamais le contenu médical de votre dossier : il peut seulement le créer avec vous',
  'insurance-feed-limits': () => 'l’Assurance Maladie peut seulement verser l’historique de vos soins remboursés',
};

function ownDocument(request: AccessRequest): string {
  const { actor, document } = request;
  if (document!.authorKind === actor.kind && document!.authorId === actor.id) {
    return isTitulaire(request) ? 'vous l’avez ajouté vous-même' : 'cette personne l’a ajouté elle-même';
  }
  switch (document!.authorKind) {
    case 'patient':
      return 'vous l’avez ajouté vous-même';
    case 'representative':
      return 'il a été ajouté pour vous par un représentant légal';
    default:
      return 'il a été ajouté pour vous par un proche aidant';
  }
}

function subject(verdict: Verdict, request: AccessRequest): string {
  if (isTitulaire(request)) return 'Vous';
  const { actor } = request;
  const name = actor.displayName?.trim();
  if (name) return name.charAt(0).toUpperCase() + name.slice(1);
  // « Votre proche aidant … ne fait pas partie de vos proches aidants » would contradict itself.
  if (verdict.rule === 'not-representative' || verdict.rule === 'not-caregiver') return 'Cette personne';
  if (actor.kind === 'system' && actor.systemRole === 'insurance_feed') return 'L’Assurance Maladie';
  return DEFAULT_LABELS[actor.kind] ?? 'Cette personne';
}

function actionPhrase(request: AccessRequest): string {
  const { action } = request;
  if (action === 'list' && request.document === undefined) return 'voir la liste de vos documents';
  if (action === 'make-visible-to-patient' && isTitulaire(request)) return 'rendre ce document visible';
  return ACTION_PHRASES[action] ?? 'faire cette action';
}

export function explain(verdict: Verdict, request: AccessRequest): string {
  const you = isTitulaire(request);
  const can = verdict.allowed ? (you ? 'pouvez' : 'peut') : you ? 'ne pouvez pas' : 'ne peut pas';
  return `${subject(verdict, request)} ${can} ${actionPhrase(request)} car ${CLAUSES[verdict.rule](request)}.`;
}
