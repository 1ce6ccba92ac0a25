import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readZip } from '../../test/helpers/unzip';
import { dosDateTime, zipArchive } from './zip';

const AT = new Date('2026-03-12T09:00:00Z'); // 10:00 in Paris

describe('the ZIP writer', () => {
  const entries = [
    { path: 'LISEZ-MOI.txt', bytes: Buffer.from('Bonjour.\r\n'.repeat(50), 'utf8') },
    { path: 'documents/2026-02-01 - Radiographie du thorax (épaule).pdf', bytes: randomBytes(3000) },
    { path: 'documents/vide.txt', bytes: Buffer.alloc(0) },
  ];
  const archive = zipArchive(entries, AT);

  it('writes every file back byte for byte, deflated when that is smaller, stored otherwise', () => {
    const files = readZip(archive);
    assert.deepEqual([...files.keys()], entries.map((e) => e.path));
    for (const e of entries) assert.deepEqual(files.get(e.path), e.bytes, e.path);
    const method = (name: string) => archive.readUInt16LE(archive.indexOf(Buffer.from(name)) - 30 + 8);
    assert.equal(method('LISEZ-MOI.txt'), 8, 'repeated text is deflated');
    assert.equal(method('documents/2026-02-01'), 0, 'random bytes are stored');
  });

  it('dates the files in Paris time', () => {
    const { time, date } = dosDateTime(AT);
    assert.deepEqual([time >> 11, (time >> 5) & 63, (time & 31) * 2], [10, 0, 0]);
    assert.deepEqual([(date >> 9) + 1980, (date >> 5) & 15, date & 31], [2026, 3, 12]);
  });

  it('is read by the system’s unzip, accents included', { skip: !existsSync('/usr/bin/unzip') && 'no unzip on this machine' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'zip-test-'));
    try {
      const file = join(dir, 'copie.zip');
      writeFileSync(file, archive);
      assert.match(execFileSync('unzip', ['-t', file], { encoding: 'utf8' }), /No errors detected/);
      const listing = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' });
      assert.deepEqual(listing.trim().split('\n'), entries.map((e) => e.path));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a path that could leave the folder', () => {
    for (const path of ['../x', 'a//b', '/abs', 'a\\b', '']) {
      assert.throws(() => zipArchive([{ path, bytes: Buffer.alloc(1) }], AT), /invalid path/, path);
    }
  });
});
