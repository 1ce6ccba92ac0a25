import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Config } from '../platform';
import { deriveKey } from '../platform';

/**
 * The checkpoint signature (pure: no I/O). A checkpoint signs, with Ed25519, a digest of every
 * chain head and the previous checkpoint's signature, so that the checkpoints form a chain too.
 */

export type AuditSigningKey = { privateKey: KeyObject; publicKey: Buffer };

// DER wrappers of a raw Ed25519 key (RFC 8410): node reads keys as PKCS#8 / SPKI.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function signingKeyFromSeed(seed: Buffer): AuditSigningKey {
  if (seed.length !== 32) throw new RangeError('an Ed25519 seed is 32 bytes');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { privateKey, publicKey: Buffer.from(spki.subarray(SPKI_PREFIX.length)) };
}

/**
 * The key from AUDIT_SIGNING_KEY (required in production), or, on a laptop, one derived from
 * the master key so that checkpoints stay verifiable across restarts. (A derived key is only as
 * secret as the master key: production keeps the signing key apart, ideally in an HSM.)
 */
export function resolveAuditSigningKey(config: Pick<Config, 'AUDIT_SIGNING_KEY' | 'NODE_ENV'>, masterKey: Buffer): AuditSigningKey {
  if (config.AUDIT_SIGNING_KEY) return signingKeyFromSeed(Buffer.from(config.AUDIT_SIGNING_KEY, 'base64'));
  if (config.NODE_ENV === 'production') throw new Error('AUDIT_SIGNING_KEY is required in production');
  return signingKeyFromSeed(deriveKey(masterKey, 'audit-signing'));
}

export function publicKeyObject(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new RangeError('an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** The digest of every chain head, fed in record_id order: record id (16 bytes) | seq (8) | hash (32). */
export class HeadsDigest {
  private readonly hash = createHash('sha256').update('opendmp:audit-heads:v1\n');
  private last: string | null = null;
  count = 0;

  add(recordId: string, seq: number, hash: Uint8Array): void {
    const id = recordId.toLowerCase();
    if (this.last !== null && id <= this.last) throw new RangeError('heads must be added in increasing record_id order');
    if (hash.length !== 32) throw new RangeError('a head hash is 32 bytes');
    const seqBytes = Buffer.alloc(8);
    seqBytes.writeBigUInt64BE(BigInt(seq));
    this.hash.update(Buffer.from(id.replaceAll('-', ''), 'hex')).update(seqBytes).update(hash);
    this.last = id;
    this.count++;
  }

  digest(): Buffer {
    return this.hash.copy().digest();
  }
}

export type CheckpointFields = {
  id: number;
  createdAt: Date;
  recordCount: number;
  headsDigest: Uint8Array;
  /** The previous checkpoint's signature, null for the first one. */
  previousSignature: Uint8Array | null;
};

/** What a checkpoint's signature covers. */
export function checkpointMessage(c: CheckpointFields): Buffer {
  const numbers = Buffer.alloc(24);
  numbers.writeBigUInt64BE(BigInt(c.id), 0);
  numbers.writeBigInt64BE(BigInt(c.createdAt.getTime()), 8);
  numbers.writeBigUInt64BE(BigInt(c.recordCount), 16);
  const previous = c.previousSignature ? createHash('sha256').update(c.previousSignature).digest() : Buffer.alloc(32);
  return Buffer.concat([Buffer.from('opendmp:audit-checkpoint:v1\n'), numbers, c.headsDigest, previous]);
}

export function signCheckpoint(key: AuditSigningKey, c: CheckpointFields): Buffer {
  return sign(null, checkpointMessage(c), key.privateKey);
}

export function checkpointSignatureValid(publicKey: Uint8Array, c: CheckpointFields, signature: Uint8Array): boolean {
  try {
    return verify(null, checkpointMessage(c), publicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
}
