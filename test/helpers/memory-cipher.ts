import { randomBytes } from 'node:crypto';
import { DecryptionError, open, seal } from '../../src/platform/crypto/aead';
import type { AuditKeys } from '../../src/audit/trail';

/**
 * The audit's keys in memory, for tests and tools: one random key per record for the personal
 * part, and the chain's MAC key (random unless given). `forget` models crypto-shredding (the
 * record's key is destroyed; nothing sealed with it can be opened again, and nothing new can
 * be sealed for that record). The service itself uses the patients' data keys (module
 * documents, record-keys.ts) and a chain key derived from the master key (audit/recorder.ts).
 */
export class MemoryCipher implements AuditKeys {
  private readonly keys = new Map<string, Buffer>();
  private readonly forgotten = new Set<string>();

  constructor(readonly chainKey: Buffer = randomBytes(32)) {}

  seal(recordId: string, plaintext: Buffer): Buffer {
    if (this.forgotten.has(recordId)) throw new DecryptionError(`the key of record ${recordId} was destroyed`);
    let key = this.keys.get(recordId);
    if (!key) this.keys.set(recordId, (key = randomBytes(32)));
    return seal(key, plaintext, aad(recordId));
  }

  open(recordId: string, sealed: Buffer): Buffer {
    const key = this.keys.get(recordId);
    if (!key) throw new DecryptionError(`no key for record ${recordId}`);
    return open(key, sealed, aad(recordId));
  }

  forget(recordId: string): void {
    this.keys.delete(recordId);
    this.forgotten.add(recordId);
  }
}

const aad = (recordId: string) => `opendmp:audit-personal:${recordId}`;
