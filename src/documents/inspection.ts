import { Worker } from 'node:worker_threads';
import { CdaError, cdaHeaderOf, type CdaHeader } from './cda';
import { inspectFormat, mayBeMarkup, type DetectedFormat, type DocumentFormat } from './formats';

/**
 * What a deposited file is, and for a CDA its header: one parse per deposit. A CDA's DOM parse
 * takes seconds for a large document (about 3 s for 190,000 elements on our servers' cores), so
 * markup is inspected in a worker thread, leaving the event loop to the other requests; other
 * files are checked inline (magic bytes, UTF-8: linear and fast).
 */

export type Inspection = { detected: DetectedFormat; header?: CdaHeader; cdaError?: string };

/**
 * The media types a sender may announce for each detected format (parameters such as a charset
 * aside). A CDA travels as XML under any of its usual names: the PDSm examples write
 * application/xml, the IHE formats text/xml.
 */
const MEDIA_TYPES: Record<DocumentFormat, readonly string[]> = {
  pdf: ['application/pdf'],
  cda: ['text/xml', 'application/xml', 'application/hl7-v3+xml', 'application/cda+xml'],
  text: ['text/plain'],
  jpeg: ['image/jpeg'],
  png: ['image/png'],
};

export function mediaTypeFits(format: DocumentFormat, declared: string): boolean {
  return MEDIA_TYPES[format].includes(declared.split(';')[0]!.trim().toLowerCase());
}

/** Pure and synchronous: what the worker runs. */
export function inspectNow(bytes: Buffer): Inspection {
  const { detected, document } = inspectFormat(bytes);
  if (!document) return { detected };
  try {
    return { detected, header: cdaHeaderOf(document) };
  } catch (error) {
    if (error instanceof CdaError) return { detected, cdaError: error.message };
    throw error;
  }
}

/**
 * The service runs its TypeScript through tsx, whose loader a worker of Node 20 does not inherit
 * for its entry point: the worker registers it, then imports its module.
 */
const WORKER_BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then(({ register }) => { register(); return import(${JSON.stringify(new URL('./inspection-worker.ts', import.meta.url).href)}); })`;

type Pending = { resolve: (inspection: Inspection) => void; reject: (error: Error) => void };

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, Pending>();

export async function inspectUpload(bytes: Buffer): Promise<Inspection> {
  if (!mayBeMarkup(bytes)) return inspectNow(bytes);
  const inspector = startedWorker();
  const id = nextId++;
  const answer = new Promise<Inspection>((resolve, reject) => pending.set(id, { resolve, reject }));
  inspector.ref(); // while a deposit waits for it
  inspector.postMessage({ id, bytes });
  return answer;
}

/** One worker per process, started at the first markup, restarted after a crash. */
function startedWorker(): Worker {
  if (worker) return worker;
  const started = new Worker(WORKER_BOOT, { eval: true });
  started.on('message', ({ id, inspection, error }: { id: number; inspection?: Inspection; error?: string }) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) started.unref(); // an idle worker never keeps the process alive
    if (error !== undefined) waiting?.reject(new Error(`document inspection failed: ${error}`));
    else waiting?.resolve(inspection!);
  });
  const fail = (error: Error) => {
    if (worker === started) worker = null;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`document inspection worker exited (${code})`)));
  started.unref();
  worker = started;
  return started;
}
