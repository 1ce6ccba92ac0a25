/**
 * Documents' bytes are sealed (AES-256-GCM) under the record's data key before they reach a
 * blob store, so the store, its replicas and its backups only ever hold ciphertext, and
 * destroying the record's key destroys the documents too. The associated data binds a blob
 * to its key in the store and to what the caller says it is (e.g. `document:<id>:v<n>`):
 * altered bytes, or bytes copied under another key, are refused.
 */
import { DecryptionError, open, seal } from '../platform';
import type { BlobStore } from './blob-store';

export class TamperedBlob extends Error {
  override name = 'TamperedBlob';
  constructor(readonly key: string) {
    super(`the blob stored under ${key} was altered, moved or sealed under another key`);
  }
}

const blobAad = (key: string, aad: string) => `opendmp:blob:${key}:${aad}`;

export async function storeSealed(store: BlobStore, key: string, dataKey: Buffer, aad: string, bytes: Buffer): Promise<void> {
  await store.put(key, seal(dataKey, bytes, blobAad(key, aad)));
}

/** Throws TamperedBlob when the stored bytes do not open, BlobNotFound when there are none. */
export async function readSealed(store: BlobStore, key: string, dataKey: Buffer, aad: string): Promise<Buffer> {
  const sealed = await store.get(key);
  try {
    return open(dataKey, sealed, blobAad(key, aad));
  } catch (error) {
    if (error instanceof DecryptionError) throw new TamperedBlob(key);
    throw error;
  }
}
