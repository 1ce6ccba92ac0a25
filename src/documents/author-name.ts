import { openForRecord, sealForRecord } from '../platform';
import type { AuthorKind } from './tables';

/**
 * Who added a document is shown by name. A professional's name is public (the RPPS directory)
 * and the FHIR search by author needs it, as does the insurance's; a patient's, a
 * representative's or a caregiver's is personal: it is sealed under the record's key
 * (migration 0019), bound to the document, and the clear column is left empty.
 */
export const SEALED_AUTHOR_KINDS: readonly AuthorKind[] = ['patient', 'representative', 'caregiver'];

export const authorNamePurpose = (documentId: string) => `document-author-name:${documentId}`;

export function storedAuthorName(dataKey: Buffer, recordId: string, documentId: string, author: { kind: AuthorKind; name: string }) {
  if (!SEALED_AUTHOR_KINDS.includes(author.kind)) return { author_name: author.name, author_name_sealed: null };
  return { author_name: '', author_name_sealed: sealForRecord(dataKey, recordId, authorNamePurpose(documentId), author.name) };
}

export function shownAuthorName(
  dataKey: Buffer,
  row: { record_id: string; document_id: string; author_name: string; author_name_sealed: Uint8Array | null },
): string {
  if (!row.author_name_sealed) return row.author_name;
  return openForRecord(dataKey, row.record_id, authorNamePurpose(row.document_id), row.author_name_sealed).toString('utf8');
}
