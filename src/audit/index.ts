/** What other modules may use of audit: the only door into it (checked by dependency-cruiser). */
export type { ChainBreak } from './chain';
export { startCheckpointPublisher } from './checkpoints';
export type { CheckpointProblemReason } from './checkpoints';
export { auditChainKey, auditCipher, auditTrailKeys, keyAuditTrail, traceEvent, traceInTransaction } from './recorder';
export { resolveAuditSigningKey } from './signing';
export type { AuditTables } from './tables';
export { ACTOR_KINDS, AUDIT_ACTIONS, HISTORY_PAGE_MAX, readHistory } from './trail';
export type { ActorKind, AuditAction, AuditEventInput, AuditPersonal, HistoryEvent } from './trail';
export { verifyTrail } from './verify';
export type { TrailKeys, TrailReport } from './verify';
export { priorPresence } from './presence';
