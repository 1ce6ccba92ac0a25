/**
 * The copy of the whole record (DOMAIN.md §7: formerly paper or a CD by registered mail; here a
 * ZIP file): every document its reader may read, as deposited (current versions), the health
 * profile and wishes, and the whole access history. What goes in is decided document by document
 * by the access policy ('read' for this reader), so that a document not yet explained to the
 * patient, or hidden from representatives, stays out of it.
 */
import type { Readable } from 'node:stream';
import { summaryState } from '../access';
import { decide } from '../access';
import type { Actor, RecordAccessState } from '../access';
import { parisDateTime } from '../history';
import { historyCsv } from '../history';
import { loadWholeHistory } from '../history';
import type { AppContext } from '../platform';
import type { BlobStore } from '../documents';
import { documentType } from '../documents';
import { byKind, listEntries, treatingDoctorOf } from '../documents';
import { findDocument, listDocuments, readDocumentContent, type DocumentSummary } from '../documents';
import { healthProfileText, readmeText } from './copy-contents';
import { planCopy, type CopyPlan } from './rules';
import { zipStream, type ZipEntry } from '../platform';

export interface CopyReader {
  loginId: string;
  actor: Actor;
  audience: 'holder' | 'representative';
  /** The record as the policy sees it (loadAccessState). */
  state: RecordAccessState;
  insMatricule: string;
}

export interface PlannedCopy {
  plan: CopyPlan;
  documents: ReadonlyMap<string, DocumentSummary>;
}

const PAGE = 500;

/** Which documents go in the copy and where; refused (plan.ok false) when they are too big together. */
export async function planRecordCopy(ctx: AppContext, recordId: string, reader: CopyReader, limit?: number): Promise<PlannedCopy> {
  const visibility = { excludeHiddenFromPatient: true, excludeHiddenFromRepresentatives: reader.audience === 'representative', excludeMasked: false };
  const readable: DocumentSummary[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await listDocuments(ctx, recordId, visibility, { limit: PAGE, offset });
    const now = ctx.clock.now();
    // The SQL filters are the policy's; each document is asked again, as every door does.
    readable.push(
      ...page.documents.filter((d) => decide({ actor: reader.actor, record: reader.state, action: 'read', document: summaryState(d), context: { now, mode: 'normal' } }).allowed),
    );
    if (page.documents.length < PAGE) break;
  }
  const plan = planCopy(
    readable.map((d) => ({ documentId: d.documentId, title: d.title, careDate: d.careDate, format: d.format as 'pdf', sizeBytes: d.sizeBytes })),
    limit,
  );
  return { plan, documents: new Map(readable.map((d) => [d.documentId, d])) };
}

/**
 * The ZIP archive of a planned copy, as a stream. What could keep it from starting is done before
 * it is returned (the health profile, the history, the first document), so that the caller can
 * still answer an error; the other documents are read and decrypted one at a time as the archive
 * is sent, so that memory stays that of one document whatever the record's size.
 */
export async function streamRecordCopy(ctx: AppContext, blobs: BlobStore, recordId: string, reader: CopyReader, planned: PlannedCopy): Promise<Readable> {
  if (!planned.plan.ok) throw new TypeError('streamRecordCopy: the copy was refused');
  const now = ctx.clock.now();
  const madeOn = parisDateTime(now);
  const files = planned.plan.files.map(({ document, path }) => ({ path, summary: planned.documents.get(document.documentId)! }));
  const readers = files.map(({ summary }) => async () => readDocumentContent(ctx, blobs, await findDocument(ctx, recordId, summary.documentId, summary.version)));
  const [profile, treatingDoctor, history, first] = await Promise.all([
    listEntries(ctx, recordId),
    treatingDoctorOf(ctx, reader.insMatricule),
    loadWholeHistory(ctx, recordId, { viewerLoginId: reader.loginId, audience: reader.audience }),
    readers[0]?.(),
  ]);
  const documents: ZipEntry[] = files.map(({ path }, i) => ({ path, bytes: i === 0 && first ? first : readers[i]! }));
  const listed = files.map(({ path, summary }) => ({ path, title: summary.title, type: documentType(summary.typeCode)?.displayName ?? null, author: summary.author.name }));
  return zipStream(
    [
      { path: 'LISEZ-MOI.txt', bytes: Buffer.from(readmeText({ madeOn, files: listed, audience: reader.audience }), 'utf8') },
      ...documents,
      { path: 'sante-et-volontes.txt', bytes: Buffer.from(healthProfileText(profile, treatingDoctor, madeOn), 'utf8') },
      {
        path: 'sante-et-volontes.json',
        bytes: Buffer.from(JSON.stringify({ madeAt: now.toISOString(), treatingDoctor, entries: byKind(profile) }, null, 2), 'utf8'),
      },
      { path: 'historique-des-acces.csv', bytes: historyCsv(history) },
    ],
    now,
  );
}
