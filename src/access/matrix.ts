/**
 * Which document categories each profession may read: the habilitation matrix of the DMP
 * (arrêté of 26 October 2023). Data, not code: changing a right is changing one row below.
 *
 * The rows are our best reconstruction of the official defaults, not a copy of the arrêté's
 * annex; check them against the published text before production. The principles we followed:
 * - the medical professions of the Code de la santé publique (médecin, chirurgien-dentiste,
 *   sage-femme) see every category except the administrative proofs;
 * - the other professions see the synthesis, the patient's own notes (espace personnel, which the
 *   patient can still mask) and what their practice needs: treatments and lab results for
 *   pharmacists, nurses and pharmacy technicians, imaging for physiotherapists and radiographers…;
 * - only the Assurance Maladie's own care history (remboursements) goes to pharmacists besides
 *   the medical professions, for medication reviews;
 * - nobody reads the administrative proofs: they serve the patient, not care;
 * - a profession without a row (ambulancier, aide-soignant, assistant dentaire…) reads nothing,
 *   but may still deposit: depositing is a separate right.
 * Professions are JDV_J01 codes (see src/directory/professions.ts); categories and their labels
 * are the catalogue's (shared/catalogue.ts).
 */
import { DOCUMENT_CATEGORY_IDS, type DocumentCategory } from '../../shared/catalogue';

export { DOCUMENT_CATEGORY_IDS as DOCUMENT_CATEGORIES, type DocumentCategory };

const MEDICAL_PROFESSION: readonly DocumentCategory[] = DOCUMENT_CATEGORY_IDS.filter(
  (category) => category !== 'donnees-administratives',
);

export const PROFESSION_MATRIX: Readonly<Record<string, readonly DocumentCategory[]>> = {
  G15_10: MEDICAL_PROFESSION, // Médecin
  G15_40: MEDICAL_PROFESSION, // Chirurgien-Dentiste
  G15_50: MEDICAL_PROFESSION, // Sage-Femme
  G15_21: ['traitements-soins', 'biologie', 'prevention-vaccination', 'synthese', 'remboursements', 'espace-personnel'], // Pharmacien
  G15_60: ['comptes-rendus', 'biologie', 'traitements-soins', 'prevention-vaccination', 'directives-anticipees', 'synthese', 'espace-personnel'], // Infirmier
  G15_69: ['comptes-rendus', 'biologie', 'traitements-soins', 'prevention-vaccination', 'directives-anticipees', 'synthese', 'espace-personnel'], // Infirmier psychiatrique
  G15_70: ['comptes-rendus', 'imagerie', 'traitements-soins', 'synthese', 'espace-personnel'], // Masseur-Kinésithérapeute
  G15_80: ['comptes-rendus', 'traitements-soins', 'synthese', 'espace-personnel'], // Pédicure-Podologue
  G15_95: ['comptes-rendus', 'biologie', 'synthese', 'espace-personnel'], // Diététicien
  G15_91: ['comptes-rendus', 'synthese', 'espace-personnel'], // Orthophoniste
  G15_92: ['comptes-rendus', 'synthese', 'espace-personnel'], // Orthoptiste
  G15_94: ['comptes-rendus', 'synthese', 'espace-personnel'], // Ergothérapeute
  G15_96: ['comptes-rendus', 'synthese', 'espace-personnel'], // Psychomotricien
  G15_98: ['imagerie', 'synthese'], // Manipulateur ERM
  G15_86: ['biologie'], // Technicien de laboratoire médical
  G15_38: ['traitements-soins', 'prevention-vaccination'], // Préparateur en pharmacie hospitalière
  G15_39: ['traitements-soins', 'prevention-vaccination'], // Préparateur en pharmacie (officine)
  G15_26: ['comptes-rendus', 'synthese'], // Audioprothésiste
  G15_28: ['synthese'], // Opticien-Lunetier
  G15_81: ['synthese'], // Orthoprothésiste
  G15_82: ['synthese'], // Podo-Orthésiste
  G15_83: ['synthese'], // Orthopédiste-Orthésiste
  G15_84: ['synthese'], // Oculariste
  G15_85: ['synthese'], // Epithésiste
};

const allowedSets: ReadonlyMap<string, ReadonlySet<DocumentCategory>> = new Map(
  Object.entries(PROFESSION_MATRIX).map(([profession, categories]) => [profession, new Set(categories)]),
);

/** Whether the profession's row of the matrix includes the category (no row: nothing). */
export function professionMayRead(profession: string | undefined, category: DocumentCategory): boolean {
  return profession !== undefined && (allowedSets.get(profession)?.has(category) ?? false);
}
