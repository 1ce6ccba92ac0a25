import { crc32, inflateRawSync } from 'node:zlib';

/**
 * Reads a ZIP archive the way an unzip program does: from the end-of-central-directory record
 * (and its ZIP64 record when the counts or offsets overflow), through the central directory, to
 * each local header and its data, checking every CRC. Enough for archives without comment,
 * which is what the service writes. A reader of our own, not yazl's companion: the archive is
 * checked by code that does not share the writer's assumptions.
 */
export function readZip(archive: Buffer): Map<string, Buffer> {
  const { count, directoryAt, directoryEnd } = endOfCentralDirectory(archive);
  let at = directoryAt;
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error(`central header ${i} missing`);
    const flags = archive.readUInt16LE(at + 8);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString(flags & 0x0800 ? 'utf8' : 'latin1');
    const extra = archive.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    const { size, compressed, localAt } = zip64Fields(extra, {
      size: archive.readUInt32LE(at + 24),
      compressed: archive.readUInt32LE(at + 20),
      localAt: archive.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;

    if (archive.readUInt32LE(localAt) !== 0x04034b50) throw new Error(`local header of ${name} missing`);
    const localName = archive.subarray(localAt + 30, localAt + 30 + archive.readUInt16LE(localAt + 26)).toString('utf8');
    if (localName !== name) throw new Error(`local name ${localName} differs from ${name}`);
    const dataAt = localAt + 30 + archive.readUInt16LE(localAt + 26) + archive.readUInt16LE(localAt + 28);
    const data = archive.subarray(dataAt, dataAt + compressed);
    const bytes = method === 8 ? inflateRawSync(data) : method === 0 ? Buffer.from(data) : null;
    if (!bytes) throw new Error(`${name}: unknown method ${method}`);
    if (bytes.length !== size) throw new Error(`${name}: ${bytes.length} bytes, ${size} announced`);
    if (crc32(bytes) >>> 0 !== crc) throw new Error(`${name}: bad CRC`);
    if (files.has(name)) throw new Error(`${name} twice`);
    files.set(name, bytes);
  }
  if (at !== directoryEnd) throw new Error('the central directory does not end where the end records start');
  return files;
}

/** Whether the archive has a ZIP64 end-of-central-directory record. */
export function isZip64(archive: Buffer): boolean {
  const locator = archive.length - 22 - 20;
  return locator >= 0 && archive.readUInt32LE(locator) === 0x07064b50;
}

function endOfCentralDirectory(archive: Buffer): { count: number; directoryAt: number; directoryEnd: number } {
  const end = archive.length - 22;
  if (end < 0 || archive.readUInt32LE(end) !== 0x06054b50) throw new Error('no end-of-central-directory record');
  if (!isZip64(archive)) {
    const directorySize = archive.readUInt32LE(end + 12);
    const directoryAt = archive.readUInt32LE(end + 16);
    if (directoryAt + directorySize !== end) throw new Error('the central directory does not end where the end record starts');
    return { count: archive.readUInt16LE(end + 10), directoryAt, directoryEnd: end };
  }
  const record = Number(archive.readBigUInt64LE(end - 20 + 8));
  if (archive.readUInt32LE(record) !== 0x06064b50) throw new Error('no ZIP64 end-of-central-directory record where its locator says');
  const directorySize = Number(archive.readBigUInt64LE(record + 40));
  const directoryAt = Number(archive.readBigUInt64LE(record + 48));
  if (directoryAt + directorySize !== record) throw new Error('the central directory does not end where the ZIP64 end record starts');
  return { count: Number(archive.readBigUInt64LE(record + 32)), directoryAt, directoryEnd: record };
}

type Sizes = { size: number; compressed: number; localAt: number };

/** The ZIP64 extra field (0x0001) holds, in this order, the 32-bit fields that were set to 0xffffffff. */
function zip64Fields(extra: Buffer, fields: Sizes): Sizes {
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) !== 0x0001) continue;
    let next = at + 4;
    const take = (value: number) => {
      if (value !== 0xffffffff) return value;
      const wide = Number(extra.readBigUInt64LE(next));
      next += 8;
      return wide;
    };
    const size = take(fields.size);
    const compressed = take(fields.compressed);
    return { size, compressed, localAt: take(fields.localAt) };
  }
  return fields;
}
