/**
 * A ZIP archive (PKWARE APPNOTE 6.3, the subset every unzip reads) written in memory with Node's
 * own zlib: no library is installed for it and the copy of a record needs only this. Each file is
 * deflated, or stored when deflating does not make it smaller (PDF and JPEG already are
 * compressed). Names are UTF-8 (flag bit 11). No ZIP64: callers stay under 4 GB and 65,535 files.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** A relative path with «/» between folders, e.g. `documents/2026-02-01 - Radio.pdf`. */
  path: string;
  bytes: Buffer;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION = 20; // 2.0: deflate and folders
const UTF8_NAMES = 0x0800;
const STORED = 0;
const DEFLATED = 8;
const MADE_BY_UNIX = 3 << 8;
/** Unix mode 0100644 in the high half of the external attributes: a plain file, rw-r--r--. */
const REGULAR_FILE_RW_R_R = (0o100644 << 16) >>> 0;
const MAX_32 = 0xffffffff;
const MAX_ENTRIES = 0xffff;

export class ZipTooLarge extends Error {
  override name = 'ZipTooLarge';
}

/** The whole archive; `modifiedAt` is each file's date, as a Paris wall clock reads it. */
export function zipArchive(entries: readonly ZipEntry[], modifiedAt: Date): Buffer {
  if (entries.length > MAX_ENTRIES) throw new ZipTooLarge(`a ZIP without ZIP64 holds at most ${MAX_ENTRIES} files`);
  const { time, date } = dosDateTime(modifiedAt);
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(checkPath(entry.path), 'utf8');
    const deflated = deflateRawSync(entry.bytes, { level: 6 });
    const method = deflated.length < entry.bytes.length ? DEFLATED : STORED;
    const data = method === DEFLATED ? deflated : entry.bytes;
    const fields = { method, time, date, crc: crc32(entry.bytes), compressed: data.length, size: entry.bytes.length };
    if (offset > MAX_32 || fields.size > MAX_32) throw new ZipTooLarge('a ZIP without ZIP64 stays under 4 GB');

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    writeCommon(local, 4, fields);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // no extra field

    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    // Made by Unix: an unzip then takes the UTF-8 names as they are (for MS-DOS it would convert from CP437).
    header.writeUInt16LE(MADE_BY_UNIX | VERSION, 4);
    writeCommon(header, 6, fields);
    header.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal attributes: zero
    header.writeUInt32LE(REGULAR_FILE_RW_R_R, 38);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);

    parts.push(local, name, data);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  if (offset + directory.length > MAX_32) throw new ZipTooLarge('a ZIP without ZIP64 stays under 4 GB');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  // this disk and the central directory's disk: 0
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  // no comment
  return Buffer.concat([...parts, directory, end]);
}

type Common = { method: number; time: number; date: number; crc: number; compressed: number; size: number };

/** From «version needed» to the sizes: the same 22 bytes in the local and the central header. */
function writeCommon(buffer: Buffer, at: number, f: Common): void {
  buffer.writeUInt16LE(VERSION, at);
  buffer.writeUInt16LE(UTF8_NAMES, at + 2);
  buffer.writeUInt16LE(f.method, at + 4);
  buffer.writeUInt16LE(f.time, at + 6);
  buffer.writeUInt16LE(f.date, at + 8);
  buffer.writeUInt32LE(f.crc >>> 0, at + 10);
  buffer.writeUInt32LE(f.compressed, at + 14);
  buffer.writeUInt32LE(f.size, at + 18);
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

/** MS-DOS date and time (local wall clock, 2-second steps, from 1980). */
export function dosDateTime(instant: Date): { time: number; date: number } {
  const p = Object.fromEntries(parisParts.formatToParts(instant).map((part) => [part.type, Number(part.value)]));
  const year = Math.min(Math.max(p.year!, 1980), 2107);
  return {
    time: (p.hour! << 11) | (p.minute! << 5) | Math.floor(p.second! / 2),
    date: ((year - 1980) << 9) | (p.month! << 5) | p.day!,
  };
}
