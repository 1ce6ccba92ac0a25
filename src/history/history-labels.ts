/**
 * The words of the history's filters and columns, shared by the service and the web app (which
 * imports this file: keep it free of anything but data, and of imports). src/history/history.ts
 * checks that every action and actor kind of the trail has its label here, and nothing more.
 */

/** The «Qui» filter: one entry per kind of actor. */
export const ACTOR_KIND_LABELS = {
  patient: 'Titulaire du DMP',
  representative: 'Représentant légal',
  caregiver: 'Proche aidant',
  professional: 'Professionnel de santé',
  agent: 'Agent de l’Assurance Maladie',
  system: 'Système (Assurance Maladie, service)',
  operator: 'Opérateur du service',
  anonymous: 'Personne non identifiée',
} as const;

/** The «Quoi» filter and the CSV's «Action» column. */
export const ACTION_LABELS = {
  create: 'Création du DMP',
  'read-list': 'Consultation de la liste des documents',
  'open-document': 'Consultation d’un document',
  deposit: 'Ajout d’un document',
  replace: 'Nouvelle version d’un document',
  mask: 'Document masqué',
  unmask: 'Document démasqué',
  'make-visible': 'Document rendu visible',
  delete: 'Suppression d’un document',
  'authorization-given': 'Autorisation donnée',
  'authorization-revoked': 'Autorisation retirée',
  block: 'Professionnel bloqué',
  unblock: 'Professionnel débloqué',
  'emergency-access': 'Accès en urgence',
  login: 'Connexion',
  'login-failed': 'Connexion refusée',
  'settings-changed': 'Modification des paramètres',
  export: 'Téléchargement',
  close: 'Fermeture du DMP',
  reactivate: 'Réactivation du DMP',
  'delete-record': 'Suppression définitive du DMP',
} as const;
