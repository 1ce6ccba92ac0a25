import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { isZip64, readZip } from '../../test/helpers/unzip';
import { zipStream, type ZipEntry } from './zip';

const AT = new Date('2026-03-12T09:00:00Z'); // 10:00 in Paris
const collect = async (stream: Readable) => Buffer.concat(await stream.toArray());
const hasUnzip = existsSync('/usr/bin/unzip');

/** What the system's unzip says of an archive (test, listing), through a temporary file. */
function unzip(archive: Buffer, args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'zip-test-'));
  try {
    const file = join(dir, 'copie.zip');
    writeFileSync(file, archive);
    return execFileSync('unzip', [...args, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the ZIP writer', () => {
  const scan = randomBytes(3000);
  const entries: ZipEntry[] = [
    { path: 'LISEZ-MOI.txt', bytes: Buffer.from('Bonjour.\r\n'.repeat(50), 'utf8') },
    { path: 'documents/2026-02-01 - Radiographie du thorax (épaule).pdf', bytes: async () => scan },
    { path: 'documents/vide.txt', bytes: Buffer.alloc(0) },
  ];
  const expected = new Map([
    ['LISEZ-MOI.txt', entries[0]!.bytes as Buffer],
    ['documents/2026-02-01 - Radiographie du thorax (épaule).pdf', scan],
    ['documents/vide.txt', Buffer.alloc(0)],
  ]);
  const archive = () => collect(zipStream(entries, AT));

  it('writes every file back byte for byte, text deflated, formats compressed already stored', async () => {
    const bytes = await archive();
    const files = readZip(bytes);
    assert.deepEqual([...files.keys()], [...expected.keys()]);
    for (const [path, content] of expected) assert.deepEqual(files.get(path), content, path);
    const method = (name: string) => bytes.readUInt16LE(bytes.indexOf(Buffer.from(name)) - 30 + 8);
    assert.equal(method('LISEZ-MOI.txt'), 8, 'repeated text is deflated');
    assert.equal(method('documents/2026-02-01'), 0, 'random bytes are stored');
    assert.equal(isZip64(bytes), false, 'no ZIP64 where it is not needed');
  });

  it('dates the files in Paris time', async () => {
    const bytes = await archive();
    const header = bytes.indexOf(Buffer.from('LISEZ-MOI.txt')) - 30;
    const [time, date] = [bytes.readUInt16LE(header + 10), bytes.readUInt16LE(header + 12)];
    assert.deepEqual([time >> 11, (time >> 5) & 63, (time & 31) * 2], [10, 0, 0]);
    assert.deepEqual([(date >> 9) + 1980, (date >> 5) & 15, date & 31], [2026, 3, 12]);
  });

  it('is read by the system’s unzip, accents included', { skip: !hasUnzip && 'no unzip on this machine' }, async () => {
    const bytes = await archive();
    assert.match(unzip(bytes, ['-t']), /No errors detected/);
    assert.deepEqual(unzip(bytes, ['-Z1']).trim().split('\n'), [...expected.keys()]);
  });

  it('refuses a path that could leave the folder, before writing anything', () => {
    for (const path of ['../x', 'a//b', '/abs', 'a\\b', '']) {
      assert.throws(() => zipStream([{ path: 'a.txt', bytes: Buffer.alloc(1) }, { path, bytes: Buffer.alloc(1) }], AT), /invalid path/, path);
    }
  });

  it('reads one file at a time, and no further than the reader of the stream has come', async () => {
    let reading = 0;
    let most = 0;
    const read: number[] = [];
    const lazy = Array.from({ length: 10 }, (_, i) => ({
      path: `documents/${i}.pdf`,
      bytes: async () => {
        most = Math.max(most, ++reading);
        await sleep(2);
        read.push(i);
        reading--;
        return Buffer.alloc(1024 * 1024, i);
      },
    }));
    const stream = zipStream(lazy, AT);
    await sleep(100);
    assert.ok(read.length <= 2, `${read.length} files of 1 MB read while nobody reads the archive`);
    const files = readZip(await collect(stream));
    assert.equal(files.size, 10);
    assert.deepEqual(read, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(most, 1, 'never two files in memory being read at once');
  });

  it('ends the stream with the error of a file that cannot be read, and reads nothing after it', async () => {
    let after = false;
    const stream = zipStream(
      [
        { path: 'a.txt', bytes: Buffer.from('a') },
        { path: 'b.pdf', bytes: () => Promise.reject(new Error('blob missing')) },
        { path: 'c.pdf', bytes: async () => ((after = true), Buffer.from('c')) },
      ],
      AT,
    );
    await assert.rejects(collect(stream), /blob missing/);
    assert.equal(after, false);
  });

  // About 10 s: yazl looks for the next file to write from the first one each time (quadratic in the count).
  it('uses ZIP64 when the archive holds more than 65,534 files', async () => {
    const many = Array.from({ length: 65_535 }, (_, i) => ({ path: `documents/${i}.pdf`, bytes: Buffer.from(String(i)) }));
    const bytes = await collect(zipStream(many, AT));
    assert.equal(isZip64(bytes), true);
    const files = readZip(bytes);
    assert.equal(files.size, 65_535);
    assert.equal(files.get('documents/65534.pdf')!.toString(), '65534');
    if (hasUnzip) assert.match(unzip(bytes, ['-tq']), /No errors detected/);
  });
});
