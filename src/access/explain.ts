/**
 * The French sentence that goes with each decision, in the words of the person who reads it.
 *
 * For the patient's side (the audience `patient`: the titulaire in the access history and on
 * their screens, « vous » is the patient): « Le Dr Martin peut lire ce document car vous l'avez
 * autorisé. » When the actor is the titulaire, the subject is « Vous ».
 *
 * For the professional who asked (the audience `professional`: the professional doors, the
 * screens and the FHIR answers of the one who acted, « vous » is that professional): « Vous ne
 * pouvez pas voir la liste des documents de ce patient car le patient ne vous a pas autorisé… ».
 * A professional must not read a sentence addressed to the patient.
 */
import { PROFESSIONS } from '../directory';
import { categoryLabel } from '../../shared/catalogue';
import { BREAK_GLASS_DURATION_MS, type AccessRequest, type Action, type Audience, type RuleId, type Verdict } from './types';

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

export function explain(verdict: Verdict, request: AccessRequest, audience: Audience = 'patient'): string {
  if (audience === 'professional') {
    const can = verdict.allowed ? 'pouvez' : 'ne pouvez pas';
    return `Vous ${can} ${professionalActionPhrase(request)} car ${PROFESSIONAL_CLAUSES[verdict.rule](request)}.`;
  }
  const you = isTitulaire(request);
  const can = verdict.allowed ? (you ? 'pouvez' : 'peut') : you ? 'ne pouvez pas' : 'ne peut pas';
  return `${subject(verdict, request)} ${can} ${actionPhrase(request)} car ${CLAUSES[verdict.rule](request)}.`;
}

// ---------------------------------------------------------------------------------------------
// The professional's wording: « vous » is the professional who acted, « le patient » the titulaire.

const PROFESSIONAL_ACTION_PHRASES: Readonly<Record<Action, string>> = {
  list: 'voir ce document dans la liste',
  read: 'lire ce document',
  deposit: 'ajouter ce document au DMP de ce patient',
  replace: 'remplacer ce document',
  delete: 'supprimer ce document',
  mask: 'masquer ce document',
  unmask: 'démasquer ce document',
  'make-visible-to-patient': 'rendre ce document visible pour le patient',
  'read-history': 'consulter l’historique des accès au DMP de ce patient',
  'manage-sharing': 'gérer les accès au DMP de ce patient',
  'manage-credentials': 'gérer les identifiants de connexion de ce patient',
  close: 'fermer le DMP de ce patient',
  reactivate: 'réactiver le DMP de ce patient',
  export: 'télécharger une copie du DMP de ce patient',
  'create-record': 'créer le DMP de ce patient',
};

function professionalActionPhrase(request: AccessRequest): string {
  if (request.action === 'list' && request.document === undefined) return 'voir la liste des documents de ce patient';
  return PROFESSIONAL_ACTION_PHRASES[request.action] ?? 'faire cette action';
}

/** Why, after « car », said to the professional. One entry per rule, like CLAUSES. */
const PROFESSIONAL_CLAUSES: Readonly<Record<RuleId, Clause>> = {
  'unknown-actor': () =>
    'seuls le patient, ses représentants légaux, ses proches aidants, les professionnels de santé qui le soignent et l’Assurance Maladie, chacun dans son rôle, ont accès à son DMP',
  'unknown-action': CLAUSES['unknown-action'],
  'document-required': CLAUSES['document-required'],
  'not-titulaire': () => 'ce DMP n’est pas le vôtre',
  'not-representative': () => 'vous n’êtes pas déclaré comme représentant légal de ce patient',
  'not-caregiver': () => 'vous ne faites pas partie des proches aidants de ce patient',
  titulaire: () => 'c’est votre DMP',
  'legal-representative': () => 'vous représentez légalement ce patient',
  caregiver: () => 'le patient vous a choisi comme proche aidant',
  'own-document': () => 'vous l’avez ajouté vous-même',
  'treating-doctor': () => 'vous êtes le médecin traitant de ce patient',
  'treating-doctor-block-ignored': () =>
    'vous êtes le médecin traitant de ce patient : un médecin traitant ne peut pas être bloqué, son blocage ne s’applique donc pas',
  'authorized-consent': () => 'le patient vous a autorisé',
  'authorized-care-team': () => 'vous faites partie de l’équipe de soins du patient et il ne s’y est pas opposé',
  'document-author': () => 'vous en êtes l’auteur',
  'deposit-right': () =>
    'tout professionnel de santé que le patient n’a pas bloqué peut ajouter des documents à son DMP, même sans pouvoir les lire',
  'break-glass': (request) => {
    const breakGlass = request.context.breakGlass!;
    return `vous avez ouvert un accès d’urgence (bris de glace) pour le motif « ${breakGlass.reason.trim()} », valable jusqu’au ${formatTime(breakGlass.startedAt.getTime() + BREAK_GLASS_DURATION_MS)}`;
  },
  'samu-regulator': () =>
    'vous êtes médecin régulateur du SAMU, vous traitez un appel d’urgence et le patient n’a pas refusé cet accès',
  'occupational-consent': () => 'le patient y a consenti pour cette consultation de médecine du travail',
  'professional-creation': () => 'un professionnel de santé peut créer le DMP d’un patient avec son accord',
  'insurance-agent-creation': () =>
    'un agent de l’Assurance Maladie peut créer le DMP d’un patient avec son accord, en sa présence',
  'insurance-feed': () => 'l’Assurance Maladie verse automatiquement l’historique des soins remboursés du patient',
  'record-closed': (request) =>
    request.action === 'create-record' ? 'son DMP existe déjà mais il est fermé : il peut être réactivé' : 'son DMP est fermé',
  'record-not-closed': () => 'son DMP est ouvert',
  'document-deleted': CLAUSES['document-deleted'],
  'document-not-current': CLAUSES['document-not-current'],
  'hidden-from-patient': () => 'il n’est pas encore visible pour le patient : un professionnel de santé doit d’abord le lui expliquer',
  'hidden-from-representatives': () => 'il a été rendu invisible pour les représentants légaux du patient',
  'masked-document': (request) => {
    const inEmergency = request.context.mode !== 'normal' && !request.record.emergency.maskedVisibleInEmergency;
    return `le patient l’a masqué : seuls le patient, l’auteur du document et son médecin traitant peuvent le voir${inEmergency ? ', y compris en urgence, comme le patient l’a choisi' : ''}`;
  },
  'not-author': () => 'seul son auteur peut le remplacer ou le supprimer',
  'not-author-nor-treating-doctor': () =>
    'seuls le professionnel qui l’a déposé et le médecin traitant du patient peuvent le rendre visible',
  'visibility-set-by-professional': () =>
    'seul un professionnel de santé peut déposer un document invisible pour le patient ou pour ses représentants légaux',
  'reimbursements-from-insurance-only': CLAUSES['reimbursements-from-insurance-only'],
  'caregiver-limits': () =>
    'un proche aidant peut lire et ajouter des documents, mais ni masquer, ni gérer les accès ou les identifiants, ni fermer le DMP, ni en télécharger une copie',
  'blocked-professional': () => 'le patient vous a bloqué',
  'not-authorized': () => 'le patient ne vous a pas autorisé et vous ne faites pas partie de son équipe de soins',
  'profession-matrix': (request) => {
    const profession = PROFESSIONS[request.actor.profession ?? ''];
    const who = profession === undefined ? 'votre profession' : `votre profession (« ${profession} »)`;
    return `${who} n’a pas accès aux documents de la catégorie « ${categoryLabel(request.document!.category)} »`;
  },
  'break-glass-refused': () => 'le patient a refusé l’accès en urgence (bris de glace)',
  'break-glass-expired': CLAUSES['break-glass-expired'],
  'break-glass-invalid': CLAUSES['break-glass-invalid'],
  'samu-refused': () => 'le patient a refusé l’accès par le médecin régulateur du SAMU',
  'not-samu-regulator': CLAUSES['not-samu-regulator'],
  'occupational-no-consent': () =>
    'un médecin du travail n’a accès au DMP qu’avec l’accord exprès du patient, donné pour cette consultation',
  'occupational-limits': () =>
    'un médecin du travail, même avec l’accord du patient, peut seulement lire et ajouter des documents',
  'history-treating-doctor-only': () =>
    'parmi les professionnels de santé, seul le médecin traitant du patient peut consulter l’historique des accès',
  'patient-decides': () => 'seuls le patient et ses représentants légaux peuvent le faire',
  'insurance-no-medical-content': () =>
    'un agent de l’Assurance Maladie ne voit jamais le contenu médical d’un DMP : il peut seulement le créer avec le patient',
  'insurance-feed-limits': () => 'l’Assurance Maladie peut seulement verser l’historique des soins remboursés',
};
