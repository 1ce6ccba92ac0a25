/** What other modules may use of access: the only door into it (checked by dependency-cruiser). */
export { authorizeAfterInPersonCreation, authorizeOnDeclaredConsent, recordOccupationalConsent } from './consents';
export { documentState, summaryState } from './document-state';
export { professionMayRead } from './matrix';
export type { DocumentCategory } from './matrix';
export { decide } from './policy';
export { openEmergencyAccess, professionalAccess } from './professional-access';
export type { ProfessionalAccess } from './professional-access';
export { loadAccessState } from './state';
export { blockProfessional, listAuthorizations, revokeAuthorization, unblockProfessional } from './sharing';
export type { AuthorizationGiven } from './sharing';
export type { Action, Actor, DocumentAccessState, RecordAccessState, RuleId } from './types';
