import { parentPort } from 'node:worker_threads';
import { inspectNow } from './inspection';

/** The worker thread of inspection.ts: inspects one file per message, in order. */
parentPort!.on('message', ({ id, bytes }: { id: number; bytes: Uint8Array }) => {
  try {
    parentPort!.postMessage({ id, inspection: inspectNow(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) });
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
