/** What other modules may use of notify: the only door into it (checked by dependency-cruiser). */
export { LETTER_HEADER, renderLetterPdf } from './letter-pdf';
export { enqueueMessage, listOperatorDeadLetters } from './outbox';
export type { EmailRecipient, MobileRecipient, OutboxMessage, Recipient } from './outbox';
export { listSentMessages, sentLetterPdf } from './sent-messages';
export type { SentMessage } from './sent-messages';
export { NOTICE_FAMILIES, NOTICE_FAMILY_TEXT, forgetPreferences, preferencesOf, preferencesOfAccount, savePreferences } from './preferences';
export type { NoticeFamily } from './preferences';
export type { OutboxTables } from './tables';
export { escapeHtml } from './templates';
export { startOutboxWorker } from './worker';
