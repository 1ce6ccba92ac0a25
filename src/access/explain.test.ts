/**
 * Each audience reads the same decision in its own words (#13 point 7): the patient's side reads
 * « Dr Julien LEFEBVRE ne peut pas … car vous ne l’avez pas autorisé », the professional who was
 * refused reads « Vous ne pouvez pas … car le patient ne vous a pas autorisé ». Both wordings of
 * every refusal a professional can meet, written out; then every rule said to a professional
 * without a word addressed to the patient; then the policy's `decide` with its audience.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explain } from './explain';
import { decide } from './policy';
import { RULE_IDS, type AccessContext, type AccessRequest, type Action, type DocumentAccessState, type RecordAccessState, type RuleId } from './types';

const NOW = new Date('2026-03-12T09:00:00Z');
const HOUR = 3_600_000;
const record: RecordAccessState = {
  patientId: 'pat-1',
  status: 'active',
  treatingDoctorId: 'rpps-treating',
  authorizedProfessionals: [],
  blockedProfessionalIds: [],
  emergency: { breakGlassAllowed: true, samuAllowed: true, maskedVisibleInEmergency: false },
  representativeIds: [],
  caregiverIds: [],
  occupationalConsents: [],
};
const doc: DocumentAccessState = {
  id: 'doc-1',
  category: 'comptes-rendus',
  authorId: 'rpps-author',
  authorKind: 'professional',
  masked: false,
  hiddenFromPatient: false,
  hiddenFromRepresentatives: false,
  status: 'current',
};
const pharmacist = { kind: 'professional' as const, id: 'rpps-julien', displayName: 'Dr Julien LEFEBVRE', profession: 'G15_21' };
const normal: AccessContext = { now: NOW, mode: 'normal' };
const emergency: AccessContext = { now: NOW, mode: 'break-glass', breakGlass: { reason: 'malaise', startedAt: NOW } };
const expired: AccessContext = { now: NOW, mode: 'break-glass', breakGlass: { reason: 'malaise', startedAt: new Date(NOW.getTime() - 25 * HOUR) } };

interface Case {
  rule: RuleId;
  action: Action;
  document?: boolean;
  context?: AccessContext;
  patient: string;
  professional: string;
}

const LIST_P = 'Dr Julien LEFEBVRE ne peut pas voir la liste de vos documents car';
const LIST_R = 'Vous ne pouvez pas voir la liste des documents de ce patient car';

/** The refusals a professional can meet, in both wordings. */
const REFUSALS: readonly Case[] = [
  { rule: 'unknown-action', action: 'list', patient: `${LIST_P} cette action n’existe pas.`, professional: `${LIST_R} cette action n’existe pas.` },
  {
    rule: 'document-required',
    action: 'read',
    patient: 'Dr Julien LEFEBVRE ne peut pas lire ce document car le document concerné n’a pas été précisé.',
    professional: 'Vous ne pouvez pas lire ce document car le document concerné n’a pas été précisé.',
  },
  { rule: 'record-closed', action: 'list', patient: `${LIST_P} votre dossier est fermé.`, professional: `${LIST_R} son DMP est fermé.` },
  {
    rule: 'record-closed',
    action: 'create-record',
    patient: 'Dr Julien LEFEBVRE ne peut pas créer votre dossier car votre dossier existe déjà mais il est fermé : il peut être réactivé.',
    professional: 'Vous ne pouvez pas créer le DMP de ce patient car son DMP existe déjà mais il est fermé : il peut être réactivé.',
  },
  {
    rule: 'document-deleted',
    action: 'read',
    document: true,
    patient: 'Dr Julien LEFEBVRE ne peut pas lire ce document car ce document a été supprimé.',
    professional: 'Vous ne pouvez pas lire ce document car ce document a été supprimé.',
  },
  {
    rule: 'document-not-current',
    action: 'replace',
    document: true,
    patient: 'Dr Julien LEFEBVRE ne peut pas remplacer ce document car ce document a été remplacé par une version plus récente.',
    professional: 'Vous ne pouvez pas remplacer ce document car ce document a été remplacé par une version plus récente.',
  },
  {
    rule: 'masked-document',
    action: 'read',
    document: true,
    patient: 'Dr Julien LEFEBVRE ne peut pas lire ce document car il est masqué : seuls vous, son auteur et votre médecin traitant peuvent le voir.',
    professional:
      'Vous ne pouvez pas lire ce document car le patient l’a masqué : seuls le patient, l’auteur du document et son médecin traitant peuvent le voir.',
  },
  {
    rule: 'masked-document',
    action: 'read',
    document: true,
    context: emergency,
    patient:
      'Dr Julien LEFEBVRE ne peut pas lire ce document car il est masqué : seuls vous, son auteur et votre médecin traitant peuvent le voir, y compris en urgence, comme vous l’avez choisi.',
    professional:
      'Vous ne pouvez pas lire ce document car le patient l’a masqué : seuls le patient, l’auteur du document et son médecin traitant peuvent le voir, y compris en urgence, comme le patient l’a choisi.',
  },
  {
    rule: 'not-author',
    action: 'delete',
    document: true,
    patient: 'Dr Julien LEFEBVRE ne peut pas supprimer ce document car seul son auteur peut le remplacer ou le supprimer.',
    professional: 'Vous ne pouvez pas supprimer ce document car seul son auteur peut le remplacer ou le supprimer.',
  },
  {
    rule: 'not-author-nor-treating-doctor',
    action: 'make-visible-to-patient',
    document: true,
    patient:
      'Dr Julien LEFEBVRE ne peut pas vous rendre ce document visible car seuls le professionnel qui l’a déposé et votre médecin traitant peuvent le rendre visible.',
    professional:
      'Vous ne pouvez pas rendre ce document visible pour le patient car seuls le professionnel qui l’a déposé et le médecin traitant du patient peuvent le rendre visible.',
  },
  { rule: 'blocked-professional', action: 'list', patient: `${LIST_P} vous l’avez bloqué.`, professional: `${LIST_R} le patient vous a bloqué.` },
  {
    rule: 'not-authorized',
    action: 'list',
    patient: `${LIST_P} vous ne l’avez pas autorisé et ce professionnel ne fait pas partie de votre équipe de soins.`,
    professional: `${LIST_R} le patient ne vous a pas autorisé et vous ne faites pas partie de son équipe de soins.`,
  },
  {
    rule: 'profession-matrix',
    action: 'read',
    document: true,
    patient: 'Dr Julien LEFEBVRE ne peut pas lire ce document car la profession « Pharmacien » n’a pas accès aux documents de la catégorie « Comptes rendus ».',
    professional: 'Vous ne pouvez pas lire ce document car votre profession (« Pharmacien ») n’a pas accès aux documents de la catégorie « Comptes rendus ».',
  },
  {
    rule: 'break-glass-refused',
    action: 'list',
    patient: `${LIST_P} vous avez refusé l’accès en urgence (bris de glace).`,
    professional: `${LIST_R} le patient a refusé l’accès en urgence (bris de glace).`,
  },
  {
    rule: 'break-glass-expired',
    action: 'list',
    context: expired,
    patient: `${LIST_P} l’accès d’urgence ouvert le 11 mars 2026 à 09:00 a pris fin au bout de 24 heures.`,
    professional: `${LIST_R} l’accès d’urgence ouvert le 11 mars 2026 à 09:00 a pris fin au bout de 24 heures.`,
  },
  {
    rule: 'break-glass-invalid',
    action: 'list',
    patient: `${LIST_P} un accès d’urgence demande un motif et une heure de début valables.`,
    professional: `${LIST_R} un accès d’urgence demande un motif et une heure de début valables.`,
  },
  {
    rule: 'samu-refused',
    action: 'list',
    patient: `${LIST_P} vous avez refusé l’accès par le médecin régulateur du SAMU.`,
    professional: `${LIST_R} le patient a refusé l’accès par le médecin régulateur du SAMU.`,
  },
  {
    rule: 'not-samu-regulator',
    action: 'list',
    patient: `${LIST_P} seul un médecin régulateur du SAMU peut utiliser l’accès réservé au SAMU.`,
    professional: `${LIST_R} seul un médecin régulateur du SAMU peut utiliser l’accès réservé au SAMU.`,
  },
  {
    rule: 'occupational-no-consent',
    action: 'list',
    patient: `${LIST_P} un médecin du travail n’a accès à votre dossier qu’avec votre accord exprès, donné pour cette consultation.`,
    professional: `${LIST_R} un médecin du travail n’a accès au DMP qu’avec l’accord exprès du patient, donné pour cette consultation.`,
  },
  {
    rule: 'occupational-limits',
    action: 'mask',
    document: true,
    patient: 'Dr Julien LEFEBVRE ne peut pas masquer ce document car un médecin du travail, même avec votre accord, peut seulement lire et ajouter des documents.',
    professional: 'Vous ne pouvez pas masquer ce document car un médecin du travail, même avec l’accord du patient, peut seulement lire et ajouter des documents.',
  },
  {
    rule: 'history-treating-doctor-only',
    action: 'read-history',
    patient:
      'Dr Julien LEFEBVRE ne peut pas consulter l’historique des accès à votre dossier car parmi les professionnels de santé, seul votre médecin traitant peut consulter l’historique des accès.',
    professional:
      'Vous ne pouvez pas consulter l’historique des accès au DMP de ce patient car parmi les professionnels de santé, seul le médecin traitant du patient peut consulter l’historique des accès.',
  },
  {
    rule: 'patient-decides',
    action: 'manage-sharing',
    patient: 'Dr Julien LEFEBVRE ne peut pas gérer les accès à votre dossier car seuls vous et vos représentants légaux pouvez le faire.',
    professional: 'Vous ne pouvez pas gérer les accès au DMP de ce patient car seuls le patient et ses représentants légaux peuvent le faire.',
  },
];

const requestOf = (c: Pick<Case, 'action' | 'document' | 'context'>): AccessRequest => ({
  actor: pharmacist,
  record,
  action: c.action,
  context: c.context ?? normal,
  ...(c.document ? { document: doc } : {}),
});

/** Words that address the patient (« vous » is the titulaire): never in a professional's sentence. */
const TO_THE_PATIENT = /vos documents|votre dossier|votre médecin traitant|votre équipe|vous l’avez (autorisé|bloqué|choisi)|vous ne l’avez|vous avez refusé|votre accord|vos représentants|vos proches|vos soins/;

describe('the sentence of a decision, for each audience', () => {
  for (const c of REFUSALS) {
    it(`${c.rule} (${c.action}${c.context ? `, ${c.context.mode}` : ''}): the patient's wording and the professional's`, () => {
      const verdict = { allowed: false, rule: c.rule };
      assert.equal(explain(verdict, requestOf(c)), c.patient, 'the patient’s wording is the default');
      assert.equal(explain(verdict, requestOf(c), 'patient'), c.patient);
      assert.equal(explain(verdict, requestOf(c), 'professional'), c.professional);
    });
  }

  it('every rule, allowed or refused, is said to a professional as « Vous … », without a word addressed to the patient', () => {
    for (const rule of RULE_IDS) {
      for (const allowed of [true, false]) {
        const sentence = explain({ allowed, rule }, requestOf({ action: 'list', document: true, context: emergency }), 'professional');
        assert.match(sentence, /^Vous (ne )?pouvez (pas )?\S.*\.$/u, `${rule}: ${sentence}`);
        assert.doesNotMatch(sentence, TO_THE_PATIENT, `${rule}: ${sentence}`);
        assert.ok(!sentence.includes('undefined'), `${rule}: ${sentence}`);
      }
    }
  });

  it('decide gives the same decision to both audiences, each in its words', () => {
    const stranger = { ...pharmacist, profession: 'G15_10' };
    const blocked: RecordAccessState = { ...record, blockedProfessionalIds: [stranger.id] };
    for (const [state, rule] of [
      [record, 'not-authorized'],
      [blocked, 'blocked-professional'],
    ] as const) {
      const request: AccessRequest = { actor: stranger, record: state, action: 'list', context: normal };
      const forPatient = decide(request);
      const forProfessional = decide(request, 'professional');
      assert.deepEqual([forPatient.allowed, forPatient.rule], [false, rule]);
      assert.deepEqual([forProfessional.allowed, forProfessional.rule], [false, rule]);
      assert.equal(forPatient.explanation, REFUSALS.find((c) => c.rule === rule)!.patient);
      assert.equal(forProfessional.explanation, REFUSALS.find((c) => c.rule === rule)!.professional);
    }
    const consented: RecordAccessState = { ...record, authorizedProfessionals: [{ professionalId: stranger.id, basis: 'consent_declared' }] };
    const allowed = decide({ actor: stranger, record: consented, action: 'list', context: normal }, 'professional');
    assert.equal(allowed.explanation, 'Vous pouvez voir la liste des documents de ce patient car le patient vous a autorisé.');
  });
});
