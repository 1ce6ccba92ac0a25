import type { Kysely } from 'kysely';
import type { AuditTables } from './tables';
import type { AuditEventInput } from './trail';

/**
 * From the trail, in the caller's transaction: was this actor seen (allowed) on this record
 * before this event, and in an emergency since `emergencySince`? The event is expected at the
 * head of the chain (traced just before); if the head is another event (notices queued before
 * tracing), every event in the trail counts as earlier.
 */
export async function priorPresence(
  trx: Kysely<any>,
  recordId: string,
  event: Pick<AuditEventInput, 'actorKind' | 'actorId' | 'action'>,
  { emergencySince, emergencyRules }: { emergencySince: Date; emergencyRules: readonly string[] },
): Promise<{ seenBefore: boolean; emergencySeenRecently: boolean }> {
  const audit = trx as Kysely<AuditTables>;
  const head = await audit
    .selectFrom('audit_head as h')
    .innerJoin('audit_event as e', (j) => j.onRef('e.record_id', '=', 'h.record_id').onRef('e.seq', '=', 'h.seq'))
    .select(['h.seq', 'e.actor_kind', 'e.actor_id', 'e.action'])
    .where('h.record_id', '=', recordId)
    .executeTakeFirst();
  const isThisEvent = head && head.actor_kind === event.actorKind && head.actor_id === event.actorId && head.action === event.action;
  const before = isThisEvent ? head.seq : Number.MAX_SAFE_INTEGER;
  const mine = audit
    .selectFrom('audit_event')
    .where('record_id', '=', recordId)
    .where('actor_kind', '=', event.actorKind)
    .where('actor_id', '=', event.actorId)
    .where('allowed', '=', true)
    .where('seq', '<', before);
  const seen = await mine.select('seq').limit(1).executeTakeFirst();
  const emergency = await mine
    .where('occurred_at', '>=', emergencySince)
    .where((eb) => eb.or([eb('action', '=', 'emergency-access'), eb('rule', 'in', [...emergencyRules])]))
    .select('seq')
    .limit(1)
    .executeTakeFirst();
  return { seenBefore: !!seen, emergencySeenRecently: !!emergency };
}
