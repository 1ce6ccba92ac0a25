/** What other modules may use of documents: the only door into it (checked by dependency-cruiser). */
export { deleteDocument, setDocumentFlag } from './actions';
export { S3BlobStore, createBlobStore } from './blob-store';
export type { BlobStore, StoredBlob } from './blob-store';
export { categoryLabel, documentType } from '../../shared/catalogue';
export type { DocumentCategory } from '../../shared/catalogue';
export { readCdaHeader, renderCdaHtml } from './cda';
export { depositDocument } from './deposit';
export type { Author, DescribedDeposit, SharingMetadata } from './deposit';
export { HEALTH_ENTRY_KINDS, addEntry, byKind, deleteEntry, listEntries, treatingDoctorOf, updateEntry } from './health-profile';
export type { HealthEntry, HealthEntryAuthor } from './health-profile';
export { depositAsProfessional, depositBundleAsProfessional, documentIdOfUniqueId, listDocumentsForProfessional, professionalAuthor, readableDocument } from './pro-documents';
export type { BundledDocument, ProfessionalSubmission } from './pro-documents';
export { blobKeysOfRecord, describeDocument, documentVersions, findDocument, listDocuments, readDocumentContent } from './reading';
export type { CodeMatch, DateCriterion, DocumentFilters, DocumentLabel, DocumentSearch, DocumentSummary, NameMatch, SharingSummary, Visibility } from './reading';
export { listSubmissionSetsForProfessional } from './submission-sets';
export type { SubmissionSetFilters, SubmissionSetSummary } from './submission-sets';
export { ORPHAN_AGE_MS, sweepOrphanBlobs } from './sweep';
export type { Confidentiality, DocumentFormat, HealthEntryKind } from './tables';
