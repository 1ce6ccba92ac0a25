/** The access policy: what other modules import. */
export { decide, evaluate } from './policy';
export { CATEGORY_LABELS, DOCUMENT_CATEGORIES, PROFESSION_MATRIX, professionMayRead, type DocumentCategory } from './matrix';
export * from './types';
