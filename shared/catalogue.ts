/**
 * The document types of the DMP (CI-SIS value set J07, mostly LOINC codes) and the
 * categories under which a patient finds them: the one table of categories, shared by the
 * service (the access matrix by profession works on these ids, explanations use these labels)
 * and the web app. The types and their category are data (document-types.json, with its origin).
 */
import catalogue from './document-types.json' with { type: 'json' };

export const DOCUMENT_CATEGORIES = [
  { id: 'comptes-rendus', label: 'Comptes rendus' },
  { id: 'biologie', label: 'Biologie' },
  { id: 'imagerie', label: 'Imagerie' },
  { id: 'traitements-soins', label: 'Traitements et soins' },
  { id: 'prevention-vaccination', label: 'Prévention et vaccination' },
  { id: 'certificats', label: 'Certificats' },
  { id: 'directives-anticipees', label: 'Directives anticipées' },
  { id: 'synthese', label: 'Synthèse médicale' },
  { id: 'remboursements', label: 'Historique des remboursements' },
  { id: 'donnees-administratives', label: 'Données administratives' },
  { id: 'espace-personnel', label: 'Espace personnel' },
] as const;

export type DocumentCategory = (typeof DOCUMENT_CATEGORIES)[number]['id'];

export const DOCUMENT_CATEGORY_IDS: readonly DocumentCategory[] = DOCUMENT_CATEGORIES.map((c) => c.id);

export interface DocumentType {
  code: string;
  codeSystem: string;
  displayName: string;
  category: DocumentCategory;
}

const categoryIds = new Set<string>(DOCUMENT_CATEGORIES.map((c) => c.id));
const isCategory = (id: string): id is DocumentCategory => categoryIds.has(id);

/** Checked once at load: a type filed under an unknown category is a broken data file. */
const TYPES: readonly DocumentType[] = catalogue.types.map((t) => {
  if (!isCategory(t.category)) throw new Error(`document-types.json: ${t.code} has an unknown category ${t.category}`);
  return Object.freeze({ ...t, category: t.category });
});
const BY_CODE = new Map(TYPES.map((t) => [t.code, t]));

/** The type with this code (and code system, when given), or null when the DMP does not know it. */
export function documentType(code: string, codeSystem?: string): DocumentType | null {
  const type = BY_CODE.get(code);
  return type && (codeSystem === undefined || type.codeSystem === codeSystem) ? type : null;
}

export function listDocumentTypes(): readonly DocumentType[] {
  return TYPES;
}

export function categoryLabel(id: DocumentCategory): string {
  return DOCUMENT_CATEGORIES.find((c) => c.id === id)!.label;
}
