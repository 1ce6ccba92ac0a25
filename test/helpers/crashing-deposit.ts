/**
 * A deposit that never ends, for the crash test of the orphan sweep (test/blob-sweep.test.ts):
 * it opens the database and blob directory it is given, deposits a document, and once the
 * sealed blob is written and the row inserted but not committed, prints "stored <blob key>"
 * and waits to be killed (SIGKILL), as a node would be in the middle of a deposit.
 *
 *   node --import tsx test/helpers/crashing-deposit.ts '<database target JSON>' <blob dir> <record id> <master key hex>
 */
import { FileBlobStore } from '../../src/documents/blob-store';
import { depositDocument } from '../../src/documents/deposit';
import { ManualClock } from '../../src/platform/clock';
import { loadConfig } from '../../src/platform/config';
import { openDatabase, type DatabaseTarget } from '../../src/platform/db/database';
import { createLogger } from '../../src/platform/logging';

const [target, blobDir, recordId, masterKey] = process.argv.slice(2) as [string, string, string, string];
const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: './data/test', LOG_LEVEL: 'silent', BLOB_STORE: `file:${blobDir}` });
const database = await openDatabase(JSON.parse(target) as DatabaseTarget);
const ctx = { config, database, clock: new ManualClock(new Date()), logger: createLogger('silent'), masterKey: Buffer.from(masterKey, 'hex') };

await depositDocument(
  ctx,
  new FileBlobStore(blobDir),
  { kind: 'professional', id: '10001234565', name: 'Dr Claire MARTIN' },
  { recordId, insMatricule: '278029935000801' },
  { bytes: Buffer.from('Compte rendu jamais enregistré.', 'utf8'), typeCode: '34133-9', title: 'Compte rendu' },
  undefined,
  async (_trx, documentId) => {
    process.stdout.write(`stored ${recordId}/${documentId}/1\n`);
    // Killed here, the transaction still open; the timer keeps the process alive until then.
    await new Promise(() => setInterval(() => {}, 60_000));
  },
);
