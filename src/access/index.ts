/** What other modules may use of access: the only door into it (checked by dependency-cruiser). */
export { authorizeAfterInPersonCreation, authorizeOnDeclaredConsent, recordOccupationalConsent } from './consents';
export { documentState, summaryState } from './document-state';
export { professionMayRead } from './matrix';
export type { DocumentCategory } from './matrix';
export { decide } from './policy';
export { openEmergencyAccess } from './emergency';
export { professionalAccess, recordAccess } from './record-access';
export type { Accessor, CheckOptions, ProfessionalAccess, RecordAccess, VisibilityFilter } from './record-access';
export { loadAccessState } from './state';
export { blockProfessional, listAuthorizations, revokeAuthorization, sharingSettings, unblockProfessional } from './sharing';
export type { AuthorizationGiven, SharingSettings } from './sharing';
export type { Action, Actor, Decision, DocumentAccessState, RecordAccessState, RuleId } from './types';
