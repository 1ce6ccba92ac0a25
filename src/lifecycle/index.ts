/** What other modules may use of lifecycle: the only door into it (checked by dependency-cruiser). */
export { closeRecord, reactivateRecord } from './closure';
export { planRecordCopy, streamRecordCopy } from './copy';
export { destroyRecord, purgeClosedRecords } from './destruction';
export type { PurgeReport } from './destruction';
export { DELETION_WORD, RETENTION_YEARS, deletionConfirmed, destructionDate, mayDestroyAtOnce, megabytes } from './rules';
