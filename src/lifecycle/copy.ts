/**
 * The copy of the whole record (DOMAIN.md §7: formerly paper or a CD by registered mail; here a
 * ZIP file): every document its reader may read, as deposited (current versions), the health
 * profile and wishes, and the whole access history. What goes in is decided document by document
 * by the access policy ('read' for this reader), so that a document not yet explained to the
 * patient, or hidden from representatives, stays out of it.
 */
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
import { zipArchive, type ZipEntry } from '../platform';

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

/** The ZIP archive of a planned copy, read document by document from the blob store. */
export async function buildRecordCopy(ctx: AppContext, blobs: BlobStore, recordId: string, reader: CopyReader, planned: PlannedCopy): Promise<Buffer> {
  if (!planned.plan.ok) throw new TypeError('buildRecordCopy: the copy was refused');
  const now = ctx.clock.now();
  const madeOn = parisDateTime(now);
  const entries: ZipEntry[] = [];
  const listed = [];
  for (const { document, path } of planned.plan.files) {
    const summary = planned.documents.get(document.documentId)!;
    const row = await findDocument(ctx, recordId, summary.documentId, summary.version);
    entries.push({ path, bytes: await readDocumentContent(ctx, blobs, row) });
    listed.push({ path, title: summary.title, type: documentType(summary.typeCode)?.displayName ?? null, author: summary.author.name });
  }
  const [profile, treatingDoctor, history] = await Promise.all([
    listEntries(ctx, recordId),
    treatingDoctorOf(ctx, reader.insMatricule),
    loadWholeHistory(ctx, recordId, { viewerLoginId: reader.loginId, audience: reader.audience }),
  ]);
  entries.unshift({ path: 'LISEZ-MOI.txt', bytes: Buffer.from(readmeText({ madeOn, files: listed, audience: reader.audience }), 'utf8') });
  entries.push(
    { path: 'sante-et-volontes.txt', bytes: Buffer.from(healthProfileText(profile, treatingDoctor, madeOn), 'utf8') },
    {
      path: 'sante-et-volontes.json',
      bytes: Buffer.from(JSON.stringify({ madeAt: now.toISOString(), treatingDoctor, entries: byKind(profile) }, null, 2), 'utf8'),
    },
    { path: 'historique-des-acces.csv', bytes: historyCsv(history) },
  );
  return zipArchive(entries, now);
}
