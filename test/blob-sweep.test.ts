import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { FileBlobStore, S3BlobStore, type BlobStore } from '../src/documents/blob-store';
import { depositDocument } from '../src/documents/deposit';
import { sweepOrphanBlobs } from '../src/documents/sweep';
import { housekeepingJobs } from '../src/app/cli/housekeeping-jobs';
import { ManualClock } from '../src/platform/clock';
import type { AppContext } from '../src/platform/context';
import { openDatabase, type Database, type DatabaseTarget } from '../src/platform/db/database';
import { migrateDatabase } from '../src/app/cli/migrations';
import { startHousekeeping } from '../src/platform/periodic';
import { createTestDatabase } from './helpers/database';
import { startTestApp, type TestApp } from './helpers/context';

// s3rver ships no type declarations; it is only a test double for a real object store.
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: object) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

const HOUR = 3600_000;
const AUTHOR = { kind: 'professional' as const, id: '10001234565', name: 'Dr Claire MARTIN' };
const deposit = (ctx: AppContext, store: BlobStore, recordId = randomUUID()) =>
  depositDocument(ctx, store, AUTHOR, { recordId, insMatricule: '278029935000801' }, { bytes: Buffer.from('Compte rendu.', 'utf8'), typeCode: '34133-9', title: 'Compte rendu' });
const blobKey = (recordId: string, documentId: string) => `${recordId}/${documentId}/1`;
const ago = (clock: ManualClock, ms: number) => new Date(clock.now().getTime() - ms);
const documentRows = async (database: Database) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM document`.execute(database.db)).rows[0]!.n;

/** Starts the crashing deposit in another process; resolves with the blob key once it is written, its row not committed. */
async function depositUntilKilled(target: DatabaseTarget, blobDir: string, recordId: string, masterKey: Buffer) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'helpers', 'crashing-deposit.ts'), JSON.stringify(target), blobDir, recordId, masterKey.toString('hex')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith('stored ')) return { key: line.slice('stored '.length), kill: () => (child.kill('SIGKILL'), exited) };
  }
  throw new Error(`the deposit ended before its blob was stored (${String(await exited)})`);
}

describe('orphan blob sweep: a deposit killed between its blob and its row', () => {
  it('leaves a blob without a row, which the sweep removes once it is an hour old', async () => {
    const blobDir = mkdtempSync(join(tmpdir(), 'opendmp-crash-blobs-'));
    const pgliteDir = mkdtempSync(join(tmpdir(), 'opendmp-crash-db-'));
    // On PostgreSQL both processes use one database at once; an embedded PGlite directory is
    // opened by one process at a time, so this one lets go of it while the deposit runs.
    const server = process.env.DATABASE_URL ? await createTestDatabase() : null;
    const target: DatabaseTarget = server ? { url: server.url! } : { pgliteDir };
    const masterKey = randomBytes(32);
    let database: Database | undefined = server?.database;
    try {
      if (!server) {
        const first = await openDatabase(target);
        await migrateDatabase(first, masterKey);
        await first.close();
      }
      const recordId = randomUUID();
      const crashed = await depositUntilKilled(target, blobDir, recordId, masterKey);
      assert.equal(await crashed.kill(), 'SIGKILL');
      database ??= await openDatabase(target);

      const store = new FileBlobStore(blobDir);
      assert.equal(await store.exists(crashed.key), true, 'the blob was written');
      assert.equal(await documentRows(database), 0, 'its row never committed');
      const clock = new ManualClock(new Date());
      const ctx: AppContext = { config: {} as AppContext['config'], database, clock, logger: {} as AppContext['logger'], masterKey };

      assert.equal(await sweepOrphanBlobs(ctx, store, clock.now()), 0, 'a deposit may still be under way: kept');
      clock.advance(HOUR + 60_000);
      assert.equal(await sweepOrphanBlobs(ctx, store, clock.now()), 1);
      assert.equal(await store.exists(crashed.key), false);
    } finally {
      if (server) await server.drop();
      else await database?.close();
      rmSync(blobDir, { recursive: true, force: true });
      rmSync(pgliteDir, { recursive: true, force: true });
    }
  });
});

describe('orphan blob sweep on a file store', () => {
  let t: TestApp;
  const blobDir = mkdtempSync(join(tmpdir(), 'opendmp-sweep-blobs-'));
  const store = new FileBlobStore(blobDir);
  before(async () => {
    t = await startTestApp({ env: { BLOB_STORE: `file:${blobDir}` } });
    t.clock.set(new Date()); // the files' times are the real ones
  });
  after(async () => {
    await t.close();
    rmSync(blobDir, { recursive: true, force: true });
  });
  const backdate = (key: string, ms: number) => utimesSync(join(blobDir, ...key.split('/')), ago(t.clock, ms), ago(t.clock, ms));

  it('removes an old orphan and an old interrupted write, keeps a referenced blob and a fresh orphan', async () => {
    const recordId = randomUUID();
    const referencedKey = blobKey(recordId, (await deposit(t.ctx, store, recordId)).documentId);
    const orphan = blobKey(randomUUID(), randomUUID());
    const fresh = blobKey(randomUUID(), randomUUID());
    await store.put(orphan, Buffer.from('sealed'));
    await store.put(fresh, Buffer.from('sealed'));
    const leftover = `${blobKey(randomUUID(), randomUUID())}.0123456789ab.tmp`;
    const leftoverPath = join(blobDir, ...leftover.split('/'));
    mkdirSync(join(leftoverPath, '..'), { recursive: true });
    writeFileSync(leftoverPath, 'half a blob');
    const stranger = join(blobDir, 'README');
    writeFileSync(stranger, 'not a blob');
    for (const key of [referencedKey, orphan, leftover]) backdate(key, 2 * HOUR);
    backdate('README', 2 * HOUR);
    backdate(fresh, HOUR / 2);

    assert.equal(await sweepOrphanBlobs(t.ctx, store, t.clock.now()), 2);
    assert.equal(await store.exists(referencedKey), true, 'a blob a document names is kept');
    assert.equal(await store.exists(fresh), true, 'an orphan younger than an hour may be a deposit in flight');
    assert.equal(await store.exists(orphan), false);
    assert.equal(existsSync(leftoverPath), false, 'the interrupted write is gone');
    assert.equal(existsSync(stranger), true, 'what the store did not write is left alone');
  });

  it('checks references in batches, not one query per blob', async () => {
    const recordId = randomUUID();
    const keys = Array.from({ length: 1203 }, () => blobKey(recordId, randomUUID()));
    for (const key of keys) await store.put(key, Buffer.from('x'));
    for (const key of keys) backdate(key, 2 * HOUR);
    let queries = 0;
    const counted: AppContext = { ...t.ctx, database: { ...t.ctx.database, db: t.ctx.database.db.withPlugin({ transformQuery: (a) => (queries++, a.node), transformResult: async (a) => a.result }) } };
    assert.equal(await sweepOrphanBlobs(counted, store, t.clock.now()), keys.length);
    assert.equal(queries, 3, '1,203 keys, 500 a query');
  });

  it('is one of the worker role’s housekeeping jobs', async () => {
    const orphan = blobKey(randomUUID(), randomUUID());
    await store.put(orphan, Buffer.from('sealed'));
    backdate(orphan, 2 * HOUR);
    const keeper = startHousekeeping(t.ctx, housekeepingJobs(store), { start: false });
    assert.equal((await keeper.runOnce())['orphan blobs'], 1);
    await keeper.stop();
    assert.equal(await store.exists(orphan), false);
  });
});

describe('orphan blob sweep on an S3 store (s3rver)', () => {
  const bucket = 'opendmp-sweep';
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  let directory: string;
  let server: InstanceType<typeof S3rver>;
  let store: S3BlobStore;
  let t: TestApp;

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'opendmp-sweep-s3-'));
    server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
    const { port } = await server.run();
    store = new S3BlobStore({ bucket, prefix: 'blobs', endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1' }, credentials);
    t = await startTestApp();
    t.clock.set(new Date()); // objects carry the server's real time
  });
  after(async () => {
    await t.close();
    store.close();
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  // s3rver cannot page (its continuation token uses a cipher OpenSSL 3 refuses): fewer than 1,000 here.
  it('lists objects by age', async () => {
    const keys = Array.from({ length: 5 }, () => blobKey(randomUUID(), randomUUID()));
    for (const key of keys) await store.put(key, Buffer.from('x'));
    const listed = async (olderThan: Date) => {
      const out: string[] = [];
      for await (const blob of store.list(olderThan)) out.push(blob.key);
      return out;
    };
    assert.deepEqual(await listed(ago(t.clock, HOUR)), [], 'nothing is an hour old yet');
    t.clock.advance(2 * HOUR);
    assert.deepEqual((await listed(ago(t.clock, HOUR))).sort(), [...keys].sort(), 'every object');
    for (const key of keys) await store.delete(key);
  });

  it('removes an old orphan and keeps a referenced blob', async () => {
    t.clock.set(new Date());
    const recordId = randomUUID();
    const referencedKey = blobKey(recordId, (await deposit(t.ctx, store, recordId)).documentId);
    const orphan = blobKey(randomUUID(), randomUUID());
    await store.put(orphan, Buffer.from('sealed'));
    assert.equal(await sweepOrphanBlobs(t.ctx, store, t.clock.now()), 0, 'both younger than an hour');
    t.clock.advance(HOUR + 60_000);
    assert.equal(await sweepOrphanBlobs(t.ctx, store, t.clock.now()), 1);
    assert.equal(await store.exists(referencedKey), true);
    assert.equal(await store.exists(orphan), false);
  });
});
