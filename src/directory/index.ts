/** What other modules may use of directory: the only door into it (checked by dependency-cruiser). */
export { loadDemoDirectoriesIfEmpty } from './demo';
export { columnMessage, fieldReader, normalizeEmail, normalizeFrenchMobile, squeeze } from './fields';
export type { RowResult } from './fields';
export { loadDirectoryFile } from './load';
export { sealExistingDirectory } from './seal-existing';
export type { DirectoryKind } from './load';
export { findInsuredPerson, findProfessional, listPersonsOnCard, searchProfessionals } from './lookup';
export type { HealthProfessionalRecord, InsuredPersonRecord } from './lookup';
export { findDirectoryProfessional, listDirectoryProfessionals } from './professional-directory';
export type { DirectoryProfessional } from './professional-directory';
export { DOCTOR, PROFESSIONS, findSpecialty, isOccupationalDoctor, professionLabel } from './professions';
export type { DirectoryTables } from './tables';
