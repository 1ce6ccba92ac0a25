/**
 * Where documents' bytes live: a directory on a laptop, any S3-compatible object store in
 * production. Only sealed bytes are ever given to a store (see sealed-blobs.ts); a store
 * just keeps them under a key such as `<recordId>/<documentId>/<version>`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, opendir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { Config } from '../platform';

export interface BlobStore {
  put(key: string, body: Buffer): Promise<void>;
  /** Throws BlobNotFound when nothing is stored under the key. */
  get(key: string): Promise<Buffer>;
  /** Deleting a missing blob is not an error: deletion is retried by background jobs. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /**
   * Everything stored that was last written before `olderThan`, in no particular order, for the
   * orphan sweep (sweep.ts). A `leftover` is the temporary file of a write that never finished
   * (a process killed mid-put); it is no blob, so it is removed with deleteLeftover, not delete.
   */
  list(olderThan: Date): AsyncIterable<StoredBlob>;
  deleteLeftover(key: string): Promise<void>;
}

export interface StoredBlob {
  key: string;
  modifiedAt: Date;
  leftover: boolean;
}

export class BlobNotFound extends Error {
  override name = 'BlobNotFound';
  constructor(readonly key: string) {
    super(`no blob stored under ${key}`);
  }
}

export class InvalidBlobKey extends Error {
  override name = 'InvalidBlobKey';
}

// A segment starts with a letter or digit, so `.` and `..` can never appear.
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Keys are built by the service, never typed by a user; still, a key that could leave the
 * store's directory or prefix (`..`, absolute, empty segment) is refused outright, and so is
 * one that could be mistaken for a file being written (`.tmp`).
 */
export function checkBlobKey(key: string): string {
  const segments = key.split('/');
  if (key.length > 512 || !segments.every((s) => SEGMENT.test(s) && !s.endsWith('.tmp'))) {
    throw new InvalidBlobKey(`invalid blob key: ${JSON.stringify(key)}`);
  }
  return key;
}

// What `FileBlobStore.put` names its temporary file: `<key>.<12 hex digits>.tmp`.
const LEFTOVER = /^(.+)\.[0-9a-f]{12}\.tmp$/;

/** The blob key a leftover belongs to, or null when the name is not one of put's temporary files. */
function leftoverOf(relative: string): string | null {
  const key = LEFTOVER.exec(relative)?.[1];
  return key !== undefined && isBlobKey(key) ? key : null;
}

function isBlobKey(key: string): boolean {
  try {
    checkBlobKey(key);
    return true;
  } catch {
    return false;
  }
}

export class FileBlobStore implements BlobStore {
  private readonly root: string;
  constructor(directory: string) {
    this.root = resolve(directory);
  }

  private pathOf(key: string): string {
    return join(this.root, ...checkBlobKey(key).split('/'));
  }

  /** Written to a temporary file, flushed, then renamed: a reader never sees half a blob. */
  async put(key: string, body: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const file = await open(temporary, 'wx', 0o600);
    try {
      await file.writeFile(body);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFound(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async *list(olderThan: Date): AsyncIterable<StoredBlob> {
    for await (const relative of walkFiles(this.root, [])) {
      const leftover = leftoverOf(relative) !== null;
      // A file that is neither a blob nor put's temporary file was not written by the store: left alone.
      if (!leftover && !isBlobKey(relative)) continue;
      const modifiedAt = await modifiedAtOf(join(this.root, ...relative.split('/')));
      if (modifiedAt && modifiedAt < olderThan) yield { key: relative, modifiedAt, leftover };
    }
  }

  async deleteLeftover(key: string): Promise<void> {
    if (leftoverOf(key) === null) throw new InvalidBlobKey(`not a temporary file of the store: ${JSON.stringify(key)}`);
    await rm(join(this.root, ...key.split('/')), { force: true });
  }
}

/**
 * The files under `directory` as `/`-separated paths relative to the root, read one directory
 * at a time so that a store of millions of blobs is never listed in memory at once. A directory
 * that vanishes meanwhile (a record destroyed) is simply skipped.
 */
async function* walkFiles(directory: string, segments: string[]): AsyncGenerator<string> {
  let entries;
  try {
    entries = await opendir(join(directory, ...segments));
  } catch (error) {
    if (isNotFound(error)) return;
    throw error;
  }
  for await (const entry of entries) {
    const path = [...segments, entry.name];
    if (entry.isDirectory()) yield* walkFiles(directory, path);
    else if (entry.isFile()) yield path.join('/');
  }
}

async function modifiedAtOf(path: string): Promise<Date | null> {
  try {
    return (await stat(path)).mtime;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

const isNotFound = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

export interface S3Location {
  bucket: string;
  /** Prepended to every key, without a trailing slash; may be empty. */
  prefix: string;
  endpoint?: string;
  region: string;
}

export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  constructor(
    private readonly location: S3Location,
    /** Credentials come from the standard AWS chain (AWS_ACCESS_KEY_ID…) unless given here. */
    credentials?: S3ClientConfig['credentials'],
  ) {
    this.client = new S3Client({
      region: location.region,
      ...(location.endpoint ? { endpoint: location.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
      // S3-compatible stores (MinIO, Ceph, Garage…) address buckets by path, not by host name.
      forcePathStyle: true,
      // The newer default checksums (aws-chunked trailers) are not understood by every
      // S3-compatible store; integrity is already guaranteed by AES-GCM on every blob.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private objectKey(key: string): string {
    checkBlobKey(key);
    return this.location.prefix ? `${this.location.prefix}/${key}` : key;
  }

  async put(key: string, body: Buffer): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.location.bucket,
        Key: this.objectKey(key),
        Body: body,
        ContentType: 'application/octet-stream',
      }),
    );
  }

  async get(key: string): Promise<Buffer> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
      if (!out.Body) throw new BlobNotFound(key);
      return Buffer.from(await out.Body.transformToByteArray());
    } catch (error) {
      if (isMissingObject(error)) throw new BlobNotFound(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (error) {
      if (isMissingObject(error)) return false;
      throw error;
    }
  }

  /** One page of ListObjectsV2 (at most 1,000 keys) at a time, following the continuation token. */
  async *list(olderThan: Date): AsyncIterable<StoredBlob> {
    const start = this.location.prefix ? `${this.location.prefix}/` : '';
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: start || undefined, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(start.length);
        // Objects not put by the store (another tool's, under the same prefix) are left alone.
        if (!key || !object.LastModified || !isBlobKey(key)) continue;
        if (object.LastModified < olderThan) yield { key, modifiedAt: object.LastModified, leftover: false };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** A PUT is atomic on an object store: no temporary object is ever left, so none is listed. */
  async deleteLeftover(key: string): Promise<void> {
    throw new InvalidBlobKey(`an S3 store has no temporary objects: ${JSON.stringify(key)}`);
  }

  close(): void {
    this.client.destroy();
  }
}

function isMissingObject(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/**
 * Pure: reads BLOB_STORE, `file:<dir>` or `s3://bucket/prefix?endpoint=…&region=…`.
 * The region defaults to us-east-1, which S3-compatible stores accept.
 */
export function parseBlobStoreUrl(value: string): { kind: 'file'; directory: string } | ({ kind: 's3' } & S3Location) {
  if (value.startsWith('file:')) {
    const directory = value.slice('file:'.length);
    if (!directory) throw new Error('BLOB_STORE: file: needs a directory, e.g. file:./data/blobs');
    return { kind: 'file', directory };
  }
  if (!value.startsWith('s3://')) throw new Error('BLOB_STORE: must start with file: or s3://');
  const url = new URL(value);
  if (!url.hostname) throw new Error('BLOB_STORE: s3:// needs a bucket, e.g. s3://dmp-documents/blobs');
  const endpoint = url.searchParams.get('endpoint') ?? undefined;
  return {
    kind: 's3',
    bucket: url.hostname,
    prefix: decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, ''),
    ...(endpoint ? { endpoint } : {}),
    region: url.searchParams.get('region') ?? 'us-east-1',
  };
}

export function createBlobStore(config: Pick<Config, 'BLOB_STORE'>): BlobStore {
  const target = parseBlobStoreUrl(config.BLOB_STORE);
  if (target.kind === 'file') return new FileBlobStore(target.directory);
  const { kind: _kind, ...location } = target;
  return new S3BlobStore(location);
}
