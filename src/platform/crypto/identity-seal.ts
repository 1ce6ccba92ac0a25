/**
 * Sealing the identities the service keeps outside any record: accounts' contact details, the
 * insured-persons directory, session data. None of them has a record's data key, so they are
 * sealed under one key derived from the master key for that purpose; the associated data binds
 * each value to its table, row and column, so a value copied onto another row does not open.
 *
 * What a lookup needs (a NIR) is replaced by a blind index: an HMAC under another derived key.
 * Equal NIRs give equal indexes, so lookups and uniqueness work as before, but a copy of the
 * table tells nothing without the master key (a NIR has too few possible values to be safe
 * behind a plain, unkeyed hash).
 */
import { createHmac } from 'node:crypto';
import { open, seal } from './aead';
import { deriveKey } from './keys';

export interface IdentitySeal {
  /** Seals `value` (as JSON) for `place`: `table:row id:column`. */
  seal(place: string, value: unknown): Buffer;
  open<T>(place: string, sealed: Buffer | Uint8Array): T;
  /** The blind index of a lookup value of one kind (`nir`): 32 bytes. */
  index(kind: string, value: string): Buffer;
}

const seals = new WeakMap<Buffer, IdentitySeal>();

/** HKDF runs once per master key, not once per row. */
export function identitySeal(masterKey: Buffer): IdentitySeal {
  let found = seals.get(masterKey);
  if (found) return found;
  const sealKey = deriveKey(masterKey, 'identity-sealing');
  const indexKey = deriveKey(masterKey, 'identity-index');
  const aad = (place: string) => `opendmp:identity:${place}`;
  found = {
    seal: (place, value) => seal(sealKey, JSON.stringify(value), aad(place)),
    open: (place, sealed) => JSON.parse(open(sealKey, Buffer.from(sealed), aad(place)).toString('utf8')),
    index: (kind, value) => createHmac('sha256', indexKey).update(`${kind}:${value}`).digest(),
  };
  seals.set(masterKey, found);
  return found;
}

/** The blind index of a NIR: one function for every table that looks a person up by NIR. */
export const nirIndex = (masterKey: Buffer, nir: string): Buffer => identitySeal(masterKey).index('nir', nir);
