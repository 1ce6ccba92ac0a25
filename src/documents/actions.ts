import type { AppContext } from '../platform';
import { AppError } from '../platform';
import type { DocumentTables } from './tables';

/**
 * Changing a document's flags or status. Who may do what is decided by the
 * access policy before these run; here each change applies to the current
 * version only, and says so when there is nothing to change.
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
    .where('status', '=', 'current')
    .returning('version')
    .executeTakeFirst();
  if (!updated) throw new AppError(404, 'not-found', 'Introuvable', 'Ce document n’existe pas ou a été supprimé.');
}

/** Logical deletion: the row and the sealed bytes stay until the record itself is destroyed. */
export async function deleteDocument(ctx: AppContext, recordId: string, documentId: string, by: string): Promise<void> {
  const updated = await ctx.database.db
    .withTables<DocumentTables>()
    .updateTable('document')
    .set({ status: 'deleted', status_changed_at: ctx.clock.now(), status_changed_by: by })
    .where('record_id', '=', recordId)
    .where('document_id', '=', documentId)
    .where('status', '=', 'current')
    .returning('version')
    .executeTakeFirst();
  if (!updated) throw new AppError(404, 'not-found', 'Introuvable', 'Ce document n’existe pas ou a déjà été supprimé.');
}
