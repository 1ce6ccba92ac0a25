/** What other modules may use of care-history: the only door into it (checked by dependency-cruiser). */
export { applyCareLines } from './apply';
export type { CareLine } from './feed-line';
export { importCareHistoryFile } from './import-file';
export { careHistoryDb } from './tables';
