/** What other modules may use of records: the only door into it (checked by dependency-cruiser). */
export { NO_MATCH, findPatientByIns } from './patient-lookup';
export { actorKindOf, closedRecordsUpTo, findRecord, findRecordByIns, isFirstRecordOf, lockRecord, markRecordClosed, markRecordReactivated, membersOf, recordClosed, recordIdOfIns, recordsOfAccount, roleOnRecord, setEmergencySwitches } from './records';
export type { RecordFacts } from './records';
export type { RecordRole, RecordTables } from './tables';
export { addMember, forgetRecordMembers, insertRecord, insHasRecord, insWithRecords, isMemberOfAny, removeMember, roleOf } from './members';
export type { RecordCreator } from './members';
