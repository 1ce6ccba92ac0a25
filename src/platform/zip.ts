/**
 * A ZIP archive written as a stream with yazl (maintained, streaming, ZIP64 when an archive passes
 * 4 GB or 65,534 files): a file whose bytes are given as a function is read only when the archive
 * reaches it, and the next one only once it has gone into the stream, so that the memory used
 * stays that of one file whatever the archive's size. The output stream's backpressure (a slow
 * download) holds the reading back.
 * Text is deflated; PDF, JPEG and PNG are stored, being compressed already (deflating them again
 * costs time for nothing). Names are UTF-8, dates those of a Paris wall clock.
 */
import { PassThrough, type Readable } from 'node:stream';
import { ZipFile, type Options } from 'yazl';

export interface ZipEntry {
  /** A relative path with «/» between folders, e.g. `documents/2026-02-01 - Radio.pdf`. */
  path: string;
  /** The bytes, or what reads them when the archive reaches this file. */
  bytes: Buffer | (() => Promise<Buffer>);
}

/** Unix mode 0100644: a plain file, rw-r--r--. */
const REGULAR_FILE_RW_R_R = 0o100644;
const ALREADY_COMPRESSED = /\.(pdf|jpe?g|png)$/i;

/**
 * The archive as a stream; `modifiedAt` is each file's date. Every path is checked before the
 * first byte. A file that cannot be read ends the stream with that error (the archive, without
 * its central directory, is then unreadable: never mistaken for a complete one).
 */
export function zipStream(entries: readonly ZipEntry[], modifiedAt: Date): Readable {
  for (const entry of entries) checkPath(entry.path);
  const zip = new ZipFile();
  const output = zip.outputStream as PassThrough;
  let stopped = false;
  output.once('close', () => (stopped = true));
  zip.on('error', (error: Error) => output.destroy(error));
  const mtime = parisWallClock(modifiedAt);
  for (const { path, bytes } of entries) {
    // Only the DOS date: the «universal timestamp» field would be computed from the same wall clock as UTC.
    const options: Partial<Options> = { mtime, mode: REGULAR_FILE_RW_R_R, compress: !ALREADY_COMPRESSED.test(path), forceDosTimestamp: true };
    if (Buffer.isBuffer(bytes)) {
      zip.addBuffer(bytes, path, options);
      continue;
    }
    zip.addReadStreamLazy(path, options, (done) => {
      // A download given up on reads nothing more.
      if (stopped) return done(new Error('zip: the output stream was closed'), null as never);
      bytes().then(
        (read) => done(null, new PassThrough().end(read)),
        (error: unknown) => done(error, null as never),
      );
    });
  }
  zip.end();
  return output;
}

/** Paths are the service's own, never a user's: refuse anything that could leave the folder. */
function checkPath(path: string): string {
  const segments = path.split('/');
  if (path.length === 0 || path.length > 400 || segments.some((s) => s === '' || s === '.' || s === '..') || /[\\\u0000]/.test(path)) {
    throw new TypeError(`zip: invalid path ${JSON.stringify(path)}`);
  }
  return path;
}

const parisParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * yazl writes the MS-DOS date from a Date's local fields (the process's time zone): this Date's
 * local fields read what a Paris wall clock showed at `instant`, whatever the server's zone.
 */
function parisWallClock(instant: Date): Date {
  const p = Object.fromEntries(parisParts.formatToParts(instant).map((part) => [part.type, Number(part.value)]));
  return new Date(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}
