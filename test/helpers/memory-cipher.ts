import { randomBytes } from 'node:crypto';
import { DecryptionError, open, seal } from '../../src/platform/crypto/aead';
import type { PersonalCipher } from '../../src/audit/trail';

/**
 * A PersonalCipher holding one random key per record in memory, for tests and tools:
 * `forget` models crypto-shredding (the record's key is destroyed; nothing sealed with it
 * can be opened again, and nothing new can be sealed for that record).
 * The service itself uses the patients' data keys (module documents, record-keys.ts).
 */
export class MemoryCipher implements PersonalCipher {
  private readonly keys = new Map<string, Buffer>();
  private readonly forgotten = new Set<string>();

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
