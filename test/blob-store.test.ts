import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  BlobNotFound,
  createBlobStore,
  FileBlobStore,
  InvalidBlobKey,
  parseBlobStoreUrl,
  S3BlobStore,
  type BlobStore,
} from '../src/documents/blob-store';
import { readSealed, storeSealed, TamperedBlob } from '../src/documents/sealed-blobs';

// s3rver ships no type declarations; it is only a test double for a real object store.
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: object) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Title (Compte rendu opératoire de M. Martin) >> endobj\n%%EOF\n');
const newKey = () => `${randomUUID()}/${randomUUID()}/1`;

/** The same contract for every store; `rawFlip` alters one byte of what the store really holds. */
function blobStoreContract(name: string, setup: () => { store: BlobStore; rawFlip: (key: string) => Promise<void> }) {
  describe(`${name}: blob store contract`, () => {
    const dataKey = randomBytes(32);

    it('gives back exactly what was put, and overwrites', async () => {
      const { store } = setup();
      const key = newKey();
      const bytes = randomBytes(3 * 1024 * 1024 + 7);
      await store.put(key, bytes);
      assert.deepEqual(await store.get(key), bytes);
      await store.put(key, Buffer.from('v2'));
      assert.equal((await store.get(key)).toString(), 'v2');
      await store.put(`${key}-empty`, Buffer.alloc(0));
      assert.equal((await store.get(`${key}-empty`)).length, 0);
    });

    it('tells whether a blob exists, deletes it, and deleting twice is fine', async () => {
      const { store } = setup();
      const key = newKey();
      assert.equal(await store.exists(key), false);
      await store.put(key, Buffer.from('x'));
      assert.equal(await store.exists(key), true);
      await store.delete(key);
      assert.equal(await store.exists(key), false);
      await store.delete(key);
      await assert.rejects(store.get(key), BlobNotFound);
    });

    it('refuses keys that could leave the store', async () => {
      const { store } = setup();
      for (const bad of ['../etc/passwd', '/etc/passwd', 'a/../../b', 'a//b', 'a/./b', '', 'a/', 'a\\..\\b', 'a/b.tmp', 'a b']) {
        await assert.rejects(store.put(bad, Buffer.from('x')), InvalidBlobKey, bad);
        await assert.rejects(store.get(bad), InvalidBlobKey, bad);
        await assert.rejects(store.exists(bad), InvalidBlobKey, bad);
        await assert.rejects(store.delete(bad), InvalidBlobKey, bad);
      }
    });

    it('keeps sealed blobs as ciphertext and opens them with the right key and place only', async () => {
      const { store } = setup();
      const key = newKey();
      await storeSealed(store, key, dataKey, 'document:d1:v1', PDF);
      const raw = await store.get(key);
      assert.ok(!raw.includes(Buffer.from('%PDF')) && !raw.includes(Buffer.from('Martin')), 'no plaintext at rest');
      assert.deepEqual(await readSealed(store, key, dataKey, 'document:d1:v1'), PDF);
      await assert.rejects(readSealed(store, key, randomBytes(32), 'document:d1:v1'), TamperedBlob);
      await assert.rejects(readSealed(store, key, dataKey, 'document:d1:v2'), TamperedBlob);
      const moved = newKey();
      await store.put(moved, raw);
      await assert.rejects(readSealed(store, moved, dataKey, 'document:d1:v1'), TamperedBlob);
      await assert.rejects(readSealed(store, newKey(), dataKey, 'document:d1:v1'), BlobNotFound);
    });

    it('refuses a sealed blob with one byte flipped where it is stored', async () => {
      const { store, rawFlip } = setup();
      const key = newKey();
      await storeSealed(store, key, dataKey, 'document:d2:v1', PDF);
      await rawFlip(key);
      await assert.rejects(readSealed(store, key, dataKey, 'document:d2:v1'), TamperedBlob);
    });
  });
}

describe('file blob store', () => {
  let directory: string;
  let store: FileBlobStore;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'opendmp-blobs-'));
    store = new FileBlobStore(directory);
  });
  after(async () => rm(directory, { recursive: true, force: true }));

  blobStoreContract('FileBlobStore', () => ({
    store,
    async rawFlip(key) {
      const path = join(directory, ...key.split('/'));
      const bytes = await readFile(path);
      bytes[bytes.length >> 1]! ^= 0x01;
      await writeFile(path, bytes);
    },
  }));

  it('lays blobs out as <record>/<document>/<version> and leaves no temporary file behind', async () => {
    await store.put('r1/d1/2', Buffer.from('x'));
    assert.deepEqual(await readdir(join(directory, 'r1', 'd1')), ['2']);
  });
});

describe('S3 blob store, against a real S3-compatible server (s3rver)', () => {
  const bucket = 'opendmp-test';
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  let directory: string;
  let server: InstanceType<typeof S3rver>;
  let endpoint: string;
  let store: S3BlobStore;
  let raw: S3Client;

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'opendmp-s3-'));
    server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
    store = new S3BlobStore({ bucket, prefix: 'blobs', endpoint, region: 'us-east-1' }, credentials);
    raw = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
  });
  after(async () => {
    store.close();
    raw.destroy();
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });

  blobStoreContract('S3BlobStore', () => ({
    store,
    async rawFlip(key) {
      const object = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: `blobs/${key}` }));
      const bytes = Buffer.from(await object.Body!.transformToByteArray());
      bytes[bytes.length >> 1]! ^= 0x01;
      await raw.send(new PutObjectCommand({ Bucket: bucket, Key: `blobs/${key}`, Body: bytes }));
    },
  }));

  it('stores objects under the configured prefix', async () => {
    await store.put('r1/d1/1', Buffer.from('sealed bytes'));
    const object = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: 'blobs/r1/d1/1' }));
    assert.equal(await object.Body!.transformToString(), 'sealed bytes');
  });
});

describe('BLOB_STORE setting', () => {
  it('reads a directory and an S3 location', () => {
    assert.deepEqual(parseBlobStoreUrl('file:./data/blobs'), { kind: 'file', directory: './data/blobs' });
    assert.deepEqual(parseBlobStoreUrl('s3://dmp-docs/prod/blobs/?endpoint=http://127.0.0.1:9000&region=eu-west-3'), {
      kind: 's3',
      bucket: 'dmp-docs',
      prefix: 'prod/blobs',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-3',
    });
    assert.deepEqual(parseBlobStoreUrl('s3://dmp-docs'), { kind: 's3', bucket: 'dmp-docs', prefix: '', region: 'us-east-1' });
    assert.throws(() => parseBlobStoreUrl('file:'));
    assert.throws(() => parseBlobStoreUrl('ftp://x'));
  });

  it('builds the store it names', () => {
    assert.ok(createBlobStore({ BLOB_STORE: 'file:./data/blobs' }) instanceof FileBlobStore);
    const s3 = createBlobStore({ BLOB_STORE: 's3://dmp-docs/blobs?endpoint=http://127.0.0.1:9000' });
    assert.ok(s3 instanceof S3BlobStore);
    s3.close();
  });
});
