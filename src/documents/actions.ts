import type { ExpressionBuilder } from 'kysely';
import type { AppContext } from '../platform';
import { AppError } from '../platform';
import type { DocumentTables } from './tables';

/**
 * Changing a document's flags or status. Who may do what is decided by the
 * access policy before these run. A flag and a deletion belong to the document, so they apply
 * to every version of it (an earlier version of a masked document must not stay readable);
 * the document must have a current version, or nothing changes.
 */

type FlagChange =
  | { masked: boolean }
  | { hidden_from_patient: boolean }
  | { hidden_from_representatives: boolean };

export async function setDocumentFlag(ctx: AppContext, recordId: string, documentId: string, change: FlagChange): Promise<void> {
  const updated = await ctx.database.db
    .withTables<DocumentTables>()
    .updateTable('document')
    .set(change)
    .where('record_id', '=', recordId)
    .where('document_id', '=', documentId)
    .where((eb) => eb.exists(hasCurrentVersion(eb, recordId, documentId)))
    .returning('version')
    .execute();
  if (updated.length === 0) throw new AppError(404, 'not-found', 'Introuvable', 'Ce document n’existe pas ou a été supprimé.');
}

/** The document still has a version in force (not replaced by nothing, not deleted). */
function hasCurrentVersion(eb: ExpressionBuilder<DocumentTables, 'document'>, recordId: string, documentId: string) {
  return eb
    .selectFrom('document as current')
    .select('current.version')
    .where('current.record_id', '=', recordId)
    .where('current.document_id', '=', documentId)
    .where('current.status', '=', 'current');
}

/** Logical deletion: the row and the sealed bytes stay until the record itself is destroyed. */
export async function deleteDocument(ctx: AppContext, recordId: string, documentId: string, by: string): Promise<void> {
  const updated = await ctx.database.db
    .withTables<DocumentTables>()
    .updateTable('document')
    .set({ status: 'deleted', status_changed_at: ctx.clock.now(), status_changed_by: by })
    .where('record_id', '=', recordId)
    .where('document_id', '=', documentId)
    .where('status', '!=', 'deleted')
    .where((eb) => eb.exists(hasCurrentVersion(eb, recordId, documentId)))
    .returning('version')
    .execute();
  if (updated.length === 0) throw new AppError(404, 'not-found', 'Introuvable', 'Ce document n’existe pas ou a déjà été supprimé.');
}
