import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with a fresh 96-bit nonce per message. Sealed form:
 * version (1 byte) | nonce (12) | tag (16) | ciphertext. The optional
 * associated data binds a ciphertext to its place (e.g. its record and row),
 * so a blob copied elsewhere does not decrypt.
 */
const VERSION = 1;
const NONCE = 12;
const TAG = 16;

export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

export function seal(key: Buffer, plaintext: Buffer | string, aad?: string): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  if (aad) cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), nonce, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, sealed: Buffer, aad?: string): Buffer {
  if (sealed.length < 1 + NONCE + TAG || sealed[0] !== VERSION) throw new DecryptionError('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + NONCE));
  decipher.setAuthTag(sealed.subarray(1 + NONCE, 1 + NONCE + TAG));
  if (aad) decipher.setAAD(Buffer.from(aad, 'utf8'));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(1 + NONCE + TAG)), decipher.final()]);
  } catch {
    throw new DecryptionError('the sealed value was altered or the key is wrong');
  }
}

export const sealText = (key: Buffer, text: string, aad?: string) => seal(key, text, aad);
export const openText = (key: Buffer, sealed: Buffer, aad?: string) => open(key, sealed, aad).toString('utf8');
