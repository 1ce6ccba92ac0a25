/**
 * Professions and specialties of health professionals, as the DMP names them in a document's
 * authorSpecialty. Copied from the ANS value set JDV_J01_XdsAuthorSpecialty_CISIS
 * (OID 1.2.250.1.213.1.1.5.461, version of 2024-12-13, code system 1.2.250.1.213.1.1.4.5,
 * shared/reference/value-sets/). `displayName` is the value set's text, unchanged; `label` is
 * the short form shown on screens. Specialties: only those the project uses; adding one is one line.
 */

/** Every G15 profession of the value set (the RPPS professions). */
export const PROFESSIONS: Readonly<Record<string, string>> = {
  G15_10: 'Médecin',
  G15_21: 'Pharmacien',
  G15_26: 'Audioprothésiste',
  G15_28: 'Opticien-Lunetier',
  G15_31: 'Assistant dentaire',
  G15_32: 'Physicien médical',
  G15_35: 'Aide-soignant',
  G15_36: 'Ambulancier',
  G15_37: 'Auxiliaire de puériculture',
  G15_38: 'Préparateur en pharmacie hospitalière',
  G15_39: 'Préparateur en pharmacie (officine)',
  G15_40: 'Chirurgien-Dentiste',
  G15_50: 'Sage-Femme',
  G15_60: 'Infirmier',
  G15_69: 'Infirmier psychiatrique',
  G15_70: 'Masseur-Kinésithérapeute',
  G15_80: 'Pédicure-Podologue',
  G15_81: 'Orthoprothésiste',
  G15_82: 'Podo-Orthésiste',
  G15_83: 'Orthopédiste-Orthésiste',
  G15_84: 'Oculariste',
  G15_85: 'Epithésiste',
  G15_86: 'Technicien de laboratoire médical',
  G15_91: 'Orthophoniste',
  G15_92: 'Orthoptiste',
  G15_94: 'Ergothérapeute',
  G15_95: 'Diététicien',
  G15_96: 'Psychomotricien',
  G15_98: 'Manipulateur ERM',
};

export const DOCTOR = 'G15_10';

export interface Specialty {
  readonly displayName: string;
  readonly label: string;
}

/** Keyed by the value set's full code, "<profession>/<specialty>". */
export const SPECIALTIES: Readonly<Record<string, Specialty>> = {
  'G15_10/SM26': { displayName: 'Médecin - Qualifié en Médecine Générale (SM)', label: 'Médecine générale' },
  'G15_10/SM53': { displayName: 'Médecin - Spécialiste en Médecine Générale (SM)', label: 'Médecine générale' },
  'G15_10/SM54': { displayName: 'Médecin - Médecine Générale (SM)', label: 'Médecine générale' },
  'G15_10/SM03': { displayName: 'Médecin - Biologie médicale (SM)', label: 'Biologie médicale' },
  'G15_10/SM04': { displayName: 'Médecin - Cardiologie et maladies vasculaires (SM)', label: 'Cardiologie' },
  'G15_10/SM73': { displayName: 'Médecin - Médecine cardiovasculaire (SM)', label: 'Médecine cardiovasculaire' },
  'G15_10/SM15': { displayName: 'Médecin - Dermatologie et Vénéréologie (SM)', label: 'Dermatologie' },
  'G15_10/SM19': { displayName: 'Médecin - Gynécologie médicale (SM)', label: 'Gynécologie médicale' },
  'G15_10/SM20': { displayName: 'Médecin - Gynécologie-obstétrique (SM)', label: 'Gynécologie-obstétrique' },
  'G15_10/SM38': { displayName: 'Médecin - Ophtalmologie (SM)', label: 'Ophtalmologie' },
  'G15_10/SM40': { displayName: 'Médecin - Pédiatrie (SM)', label: 'Pédiatrie' },
  'G15_10/SM42': { displayName: 'Médecin - Psychiatrie (SM)', label: 'Psychiatrie' },
  'G15_10/SM44': { displayName: 'Médecin - Radio-diagnostic (SM)', label: 'Radiologie' },
  'G15_10/SM74': { displayName: 'Médecin - Radiologie et imagerie médicale (SM)', label: 'Radiologie et imagerie médicale' },
  'G15_10/SM59': { displayName: "Médecin - Médecine d'urgence (SM)", label: 'Médecine d’urgence' },
  'G15_10/DEC14': { displayName: "Médecin - Médecine d'urgence (DEC)", label: 'Médecine d’urgence' },
  'G15_10/CAPA02': { displayName: 'Médecin - Aide médicale urgente (CAPA)', label: 'Aide médicale urgente' },
  'G15_10/SM25': { displayName: 'Médecin - Médecine du travail (SM)', label: 'Médecine du travail' },
  'G15_10/C41': { displayName: 'Médecin - Médecine du travail (C)', label: 'Médecine du travail' },
  'G15_10/CAPA11': { displayName: 'Médecin - Médecine de travail, prév risques prof (CAPA)', label: 'Médecine du travail' },
  'G15_21/A': { displayName: "Pharmacien titulaire d'officine", label: 'Pharmacien titulaire d’officine' },
  'G15_21/DA': { displayName: 'Pharmacien adjoint', label: 'Pharmacien adjoint' },
  'G15_21/G': { displayName: 'Pharmacien biologiste', label: 'Pharmacien biologiste' },
  'G15_21/H': { displayName: "Pharmacien d'établissement de santé", label: 'Pharmacien d’établissement de santé' },
  'G15_40/SCD01': { displayName: 'Chirurgien-Dentiste - Orthopédie dento-faciale (SCD)', label: 'Orthopédie dento-faciale' },
  'G15_40/SCD02': { displayName: 'Chirurgien-Dentiste - Chirurgie orale (SCD)', label: 'Chirurgie orale' },
  'G15_40/SCD03': { displayName: 'Chirurgien-Dentiste - Médecine bucco-dentaire (SCD)', label: 'Médecine bucco-dentaire' },
};

/** Specialty groups the access rules need (occupational doctors have no access by default…). */
export const GENERAL_PRACTICE_SPECIALTIES: readonly string[] = ['SM26', 'SM53', 'SM54'];
export const EMERGENCY_MEDICINE_SPECIALTIES: readonly string[] = ['SM59', 'DEC14', 'CAPA02'];
export const OCCUPATIONAL_MEDICINE_SPECIALTIES: readonly string[] = ['SM25', 'C41', 'CAPA11'];

export function professionLabel(professionCode: string): string | undefined {
  return PROFESSIONS[professionCode];
}

export function findSpecialty(professionCode: string, specialtyCode: string): Specialty | undefined {
  return SPECIALTIES[`${professionCode}/${specialtyCode}`];
}

/** The code a document's authorSpecialty carries: "G15_10/SM54", or the profession alone. */
export function authorSpecialtyCode(professionCode: string, specialtyCode: string | null): string {
  return specialtyCode === null ? professionCode : `${professionCode}/${specialtyCode}`;
}

export function isOccupationalDoctor(professionCode: string, specialtyCode: string | null): boolean {
  return professionCode === DOCTOR && specialtyCode !== null && OCCUPATIONAL_MEDICINE_SPECIALTIES.includes(specialtyCode);
}
