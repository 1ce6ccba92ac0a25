/**
 * Benchmark: the bulk import of the Assurance Maladie's care-history file. PERSONS insured
 * people with a DMP receive LINES lines each (first feed: a new REMB document each), then a
 * second feed brings 2 new lines to each (a new version of each document). Each person costs:
 * the record's key, the stored lines opened and merged, a CDA written, sealed and stored, the
 * document row, the sealed lines and the audit event in one transaction.
 * Run: npm run bench:care-history   (DATABASE_URL=postgres://… for PostgreSQL; PERSONS=, LINES=)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openRecordWithAccount } from '../src/accounts/open-record';
import { accountsDb } from '../src/accounts/store';
import { hashPassword } from '../src/accounts/password-hash';
import { importCareHistoryFile } from '../src/care-history/import-file';
import { loadDirectoryFile } from '../src/directory/load';
import { findInsuredPerson } from '../src/directory/lookup';
import { createBlobStore } from '../src/documents/blob-store';
import { computeNirKey } from '../src/identity/nir';
import { startTestApp } from '../test/helpers/context';
import { backend } from './harness';

const PERSONS = Number(process.env.PERSONS ?? 1000);
const LINES = Number(process.env.LINES ?? 20);
const folder = mkdtempSync(join(tmpdir(), 'bench-care-'));
const t = await startTestApp({ env: { LOG_LEVEL: 'silent', BLOB_STORE: `file:${join(folder, 'blobs')}` } });
const store = createBlobStore(t.ctx.config);

// Insured persons born in Paris in 1960–1999.
const nirs: string[] = [];
const directory = ['nir,birth_name,first_names,used_name,sex,birth_date,birth_place,card_holder_nir,vitale_serial,vitale_type,email,mobile,address_line,postal_code,city,treating_doctor_rpps'];
for (let i = 0; i < PERSONS; i++) {
  const year = 60 + (i % 40);
  // Born in a Paris arrondissement (75101–75120), order number 001–999 within it.
  const unique = `2${year}0${1 + (i % 9)}75${101 + Math.floor(i / 999)}${String((i % 999) + 1).padStart(3, '0')}`;
  const nir = `${unique}${String(computeNirKey(unique)).padStart(2, '0')}`;
  nirs.push(nir);
  directory.push(`${nir},MARTIN,Claire,,F,19${year}-0${1 + (i % 9)}-15,75056,${nir},${String(1000000000000000 + i)},photo,,,1 rue de Rivoli,75001,Paris,`);
}
const directoryFile = join(folder, 'insured.csv');
writeFileSync(directoryFile, directory.join('\n'));
const loaded = await loadDirectoryFile(t.ctx, 'insured', directoryFile);
if (loaded.rejected) throw new Error(`directory: ${JSON.stringify(loaded.errors.slice(0, 3))}`);

const passwordHash = await hashPassword('Bench-Password-2026');
for (const nir of nirs) {
  const person = (await findInsuredPerson(t.ctx, nir))!;
  await accountsDb(t.ctx)
    .transaction()
    .execute((trx) => openRecordWithAccount(trx, t.ctx.masterKey, person, { kind: 'patient', id: nir }, { mobile: '+33600000000', email: null }, passwordHash, t.clock.now()));
}

const today = t.clock.now().getTime();
const KINDS = ['consultation', 'pharmacie', 'biologie', 'soins', 'imagerie'];
function feed(name: string, linesEach: number, offset: number): string {
  const rows = ['ins,claim_id,care_date,kind,label,quantity,professional'];
  for (const nir of nirs) {
    for (let j = 0; j < linesEach; j++) {
      const day = new Date(today - ((j * 29 + offset) % 700) * 86_400_000).toISOString().slice(0, 10);
      rows.push(`${nir},${name}-${nir}-${j},${day},${KINDS[j % KINDS.length]},Acte ou produit remboursé numéro ${j},1,Dr Claire MARTIN`);
    }
  }
  const path = join(folder, `${name}.csv`);
  writeFileSync(path, rows.join('\n'));
  return path;
}

async function measure(label: string, path: string, lines: number) {
  const started = performance.now();
  const report = await importCareHistoryFile(t.ctx, store, path);
  const seconds = (performance.now() - started) / 1000;
  const o = report.outcomes;
  if (report.refusedLines || o['no-record'] || o.refused) throw new Error(`unexpected: ${JSON.stringify(report)}`);
  console.log(
    `${label}: ${report.persons} persons, ${lines} lines in ${seconds.toFixed(1)} s → ${(report.persons / seconds).toFixed(0)} persons/s, ${(lines / seconds).toFixed(0)} lines/s (created ${o.created}, updated ${o.updated})`,
  );
}

console.log(`care-history import on ${backend()}: ${PERSONS} persons with a DMP`);
await measure('first feed', feed('first', LINES, 0), PERSONS * LINES);
await measure('second feed', feed('second', 2, 3), PERSONS * 2);
await t.close();
