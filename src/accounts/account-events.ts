import type { AuditAction } from '../audit';

/**
 * What an account flow reports (a login, a failed password, a changed setting). The events
 * module traces it in the history of the records the login acts on and tells the people
 * concerned (events/account-events.ts); it needs the accounts' own contacts to do so, so it
 * sits above accounts, and the doors hand its sink to the flows. A required parameter, so a
 * flow cannot be called without it.
 */
export type AccountEventSink = (
  loginId: string,
  action: AuditAction,
  allowed: boolean,
  rule: string,
  details?: Record<string, string | boolean>,
) => Promise<void>;
