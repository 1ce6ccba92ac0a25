import type { Kysely } from 'kysely';
import type { AppContext, Config } from '../platform';
import { dataKeyFor, deriveKey, openForRecord, sealForRecord } from '../platform';
import { sealLegacyChains } from './legacy';
import { resolveAuditSigningKey } from './signing';
import { appendEvent, type AuditEventInput, type AuditKeys } from './trail';
import type { TrailKeys } from './verify';

/**
 * How the service writes its access history: the personal part of each event
 * is sealed under the patient's own data key, so that destroying the record's
 * key (definitive deletion) erases it while the chain stays verifiable; the
 * chain is keyed with a MAC whose key is derived from the master key, here only.
 */

const PURPOSE = 'audit-personal';

/** The key of the chain's MAC (chain.ts): derived from the master key for this use alone. */
export function auditChainKey(masterKey: Buffer): Buffer {
  return deriveKey(masterKey, 'audit-chain-mac');
}

/** What verifying the trail needs: the chain's key, and the checkpoints' public keys to trust. */
export function auditTrailKeys(config: Pick<Config, 'AUDIT_SIGNING_KEY' | 'NODE_ENV'>, masterKey: Buffer, trustedKeys?: readonly Uint8Array[]): TrailKeys {
  return {
    chainKey: auditChainKey(masterKey),
    trustedKeys: trustedKeys?.length ? trustedKeys : [resolveAuditSigningKey(config, masterKey).publicKey],
  };
}

/**
 * Seals the boundaries of the histories begun before the keyed chain (legacy.ts): run once at
 * start, after the migrations and before anything is served. Tampering is logged, not fatal;
 * a database error stops the start, as a failed migration does.
 */
export async function keyAuditTrail(ctx: Pick<AppContext, 'database' | 'masterKey' | 'logger'>): Promise<void> {
  const keying = await sealLegacyChains(ctx.database.db, auditChainKey(ctx.masterKey));
  if (keying.state === 'sealed-now') ctx.logger.info({ records: keying.sealed }, 'access histories begun before the keyed chain: boundaries sealed');
  if (keying.state === 'tampered') ctx.logger.error('the keying of the access history was tampered with: nothing sealed again');
  for (const recordId of keying.refused) ctx.logger.error({ recordId }, 'legacy history boundary past its head: not sealed');
}

/** The cipher reads the record's key through `db`: inside a transaction, pass the transaction. */
export function auditCipher(db: Kysely<any>, masterKey: Buffer, now: Date): AuditKeys {
  return {
    chainKey: auditChainKey(masterKey),
    seal: async (recordId, plaintext) => sealForRecord(await dataKeyFor(db, masterKey, recordId, now), recordId, PURPOSE, plaintext),
    open: async (recordId, sealed) => openForRecord(await dataKeyFor(db, masterKey, recordId, now), recordId, PURPOSE, sealed),
  };
}

/** Appends an event in the caller's transaction: it is kept if and only if the traced change is. */
export async function traceInTransaction(ctx: AppContext, trx: Kysely<any>, event: AuditEventInput): Promise<void> {
  const now = ctx.clock.now();
  await appendEvent(trx, event, auditCipher(trx, ctx.masterKey, now), now);
}

/** Appends an event on its own (reads, and refusals, which must be kept although nothing changed). */
export async function traceEvent(ctx: AppContext, event: AuditEventInput): Promise<void> {
  await ctx.database.db.transaction().execute((trx) => traceInTransaction(ctx, trx, event));
}
