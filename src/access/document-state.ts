import type { DocumentCategory } from './matrix';
import type { DocumentAccessState } from './types';

/** What the policy needs of a stored document row. */
export function documentState(row: {
  document_id: string;
  category: string;
  author_id: string;
  author_kind: 'professional' | 'patient' | 'representative' | 'caregiver' | 'insurance';
  masked: boolean;
  hidden_from_patient: boolean;
  hidden_from_representatives: boolean;
  status: 'current' | 'replaced' | 'deleted';
}): DocumentAccessState {
  return {
    id: row.document_id,
    category: row.category as DocumentCategory,
    authorId: row.author_id,
    authorKind: row.author_kind === 'insurance' ? 'system' : row.author_kind,
    masked: row.masked,
    hiddenFromPatient: row.hidden_from_patient,
    hiddenFromRepresentatives: row.hidden_from_representatives,
    status: row.status,
  };
}

/** The same, from a listed document's summary (to check each line of a list again). */
export function summaryState(d: {
  documentId: string;
  category: string;
  author: { id: string; kind: string };
  masked: boolean;
  hiddenFromPatient: boolean;
  hiddenFromRepresentatives: boolean;
  status: string;
}): DocumentAccessState {
  return documentState({
    document_id: d.documentId,
    category: d.category,
    author_id: d.author.id,
    author_kind: d.author.kind as 'professional',
    masked: d.masked,
    hidden_from_patient: d.hiddenFromPatient,
    hidden_from_representatives: d.hiddenFromRepresentatives,
    status: d.status as 'current',
  });
}
