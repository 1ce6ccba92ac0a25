import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { decide } from '../access';
import { loadAccessState } from '../access';
import type { Actor, DocumentAccessState } from '../access';
import { traceEvent, traceInTransaction } from '../audit';
import type { AppContext } from '../platform';
import type { BlobStore } from '../documents';
import { depositDocument } from '../documents';
import { dataKeyFor, openForRecord, sealForRecord } from '../platform';
import { careHistoryCda, INSURANCE_NAME } from './care-history-cda';
import type { CareLine } from './feed-line';
import { mergeCareHistory } from './history';
import { careHistoryDb, type CareHistoryTables } from './tables';
import { recordIdOfIns } from '../records';

/**
 * Brings one person's care history up to date with the lines the feed sent for them: merge
 * with the stored lines, and when something changed, a new version of the REMB document and
 * the sealed lines in one transaction, traced as the Assurance Maladie's deposit. The access
 * policy decides as for any depositor (a closed record refuses, and the refusal is traced).
 */

/** The system account of the feed: the author of every care history. */
export const FEED_ACTOR: Actor = { kind: 'system', id: 'assurance-maladie', systemRole: 'insurance_feed', displayName: INSURANCE_NAME };
const SEALED_PURPOSE = 'care-history';

export type ApplyOutcome = 'created' | 'updated' | 'unchanged' | 'no-record' | 'refused';

export async function applyCareLines(
  ctx: AppContext,
  store: BlobStore,
  ins: string,
  incoming: readonly CareLine[],
): Promise<ApplyOutcome> {
  const db = careHistoryDb(ctx);
  const recordId = await recordIdOfIns(ctx, ins);
  if (!recordId) return 'no-record';
  const now = ctx.clock.now();
  const today = now.toISOString().slice(0, 10);

  const stored = await db.selectFrom('care_history').selectAll().where('record_id', '=', recordId).executeTakeFirst();
  const dataKey = await dataKeyFor(ctx.database.db, ctx.masterKey, recordId, now);
  const storedLines: CareLine[] = stored ? JSON.parse(openForRecord(dataKey, recordId, SEALED_PURPOSE, stored.lines_sealed).toString('utf8')) : [];
  const merged = mergeCareHistory(storedLines, incoming, today);
  if (stored && !merged.changed) return 'unchanged';

  const action = stored ? ('replace' as const) : ('deposit' as const);
  const documentId = stored?.document_id ?? randomUUID();
  const document: DocumentAccessState = {
    id: documentId,
    category: 'remboursements',
    authorId: FEED_ACTOR.id,
    authorKind: 'system',
    masked: false,
    hiddenFromPatient: false,
    hiddenFromRepresentatives: false,
    status: 'current',
  };
  const loaded = await loadAccessState(ctx, recordId);
  const decision = decide({ actor: FEED_ACTOR, record: loaded.state, document, action, context: { now, mode: 'normal' } });
  const event = { recordId, actorKind: 'system' as const, actorId: FEED_ACTOR.id, action, rule: decision.rule, personal: { actorName: INSURANCE_NAME } };
  if (!decision.allowed) {
    await traceEvent(ctx, { ...event, documentId: stored?.document_id ?? null, allowed: false });
    return 'refused';
  }

  const person = loaded.person;
  if (!person) throw new Error('a record without its insured person in the directory');
  const version = (stored?.version ?? 0) + 1;
  const bytes = Buffer.from(
    careHistoryCda({
      documentId: randomUUID(),
      setId: documentId,
      version,
      issuedAt: now,
      patient: { insOid: loaded.facts.insOid, ins: loaded.facts.insMatricule, birthName: person.birthName, firstNames: person.firstNames, sex: person.sex, birthDate: person.birthDate },
      lines: merged.lines,
    }),
    'utf8',
  );
  const sealed = sealForRecord(dataKey, recordId, SEALED_PURPOSE, JSON.stringify(merged.lines));
  await depositDocument(
    ctx,
    store,
    { kind: 'insurance', id: FEED_ACTOR.id, name: INSURANCE_NAME },
    { recordId, insMatricule: loaded.facts.insMatricule },
    { bytes, careDate: today, documentId },
    stored ? { documentId, version: stored.version } : undefined,
    async (trx, depositedId) => {
      const row = { document_id: depositedId, version, lines_sealed: sealed, line_count: merged.lines.length, updated_at: now };
      await (trx as Kysely<CareHistoryTables>)
        .insertInto('care_history')
        .values({ record_id: recordId, ...row })
        .onConflict((oc) => oc.column('record_id').doUpdateSet(row))
        .execute();
      await traceInTransaction(ctx, trx, { ...event, documentId: depositedId, allowed: true });
    },
  );
  return stored ? 'updated' : 'created';
}
