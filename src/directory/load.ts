import type { AppContext } from '../platform';
import { csvBatches } from '../platform';
import { parseInsuredRow, type InsuredPerson, INSURED_COLUMNS } from './insured-row';
import { parseProfessionalRow, type HealthProfessional, PROFESSIONAL_COLUMNS } from './professional-row';
import type { RowResult } from './fields';
import { sealInsuredPerson, type InsuredPersonRecord } from './lookup';
import type { DirectoryTables } from './tables';

/**
 * Loads a reference directory file into its table. Good lines are kept
 * (inserted or updated by their key), bad lines are reported with their line
 * number and the reason, and the load goes on: one typo must not hold back a
 * whole directory. Each batch is written in one statement, so a line is either
 * fully stored or not at all. Insured persons are sealed as they are stored (lookup.ts).
 */

export type DirectoryKind = 'insured' | 'professionals';

export interface LoadProgress {
  read: number;
  loaded: number;
  rejected: number;
}

export interface LoadReport extends LoadProgress {
  errors: { line: number; message: string }[];
}

const MAX_ERRORS_KEPT = 1000;

export async function loadDirectoryFile(
  ctx: Pick<AppContext, 'database' | 'masterKey'>,
  kind: DirectoryKind,
  path: string,
  options: { onProgress?: (p: LoadProgress) => void; test?: boolean; batchSize?: number } = {},
): Promise<LoadReport> {
  const report: LoadReport = { read: 0, loaded: 0, rejected: 0, errors: [] };
  const reject = (line: number, message: string) => {
    report.rejected += 1;
    if (report.errors.length < MAX_ERRORS_KEPT) report.errors.push({ line, message });
  };
  const spec = SPECS[kind];
  for await (const batch of csvBatches(path, options.batchSize)) {
    const missing = spec.columns.filter((c) => !batch.header.includes(c));
    if (missing.length) {
      throw new Error(`Colonnes absentes de l’en-tête : ${missing.join(', ')}`);
    }
    for (const e of batch.errors) {
      report.read += 1;
      reject(e.line, e.message);
    }
    const good = new Map<string, { line: number; row: Record<string, unknown> }>();
    for (const { line, fields } of batch.rows) {
      report.read += 1;
      const parsed = spec.parse(fields, options.test);
      if (!parsed.ok) {
        reject(line, parsed.errors.join(' ; '));
        continue;
      }
      const row = spec.toRow(parsed.value, ctx.masterKey);
      const key = spec.keyOf(parsed.value);
      const earlier = good.get(key);
      if (earlier) {
        reject(line, `Cette ligne répète la clé de la ligne ${earlier.line}.`);
        continue;
      }
      good.set(key, { line, row });
    }
    if (good.size) {
      await upsert(ctx, spec.table, spec.key, [...good.values()].map((g) => g.row));
      report.loaded += good.size;
    }
    options.onProgress?.({ read: report.read, loaded: report.loaded, rejected: report.rejected });
  }
  return report;
}

async function upsert(ctx: Pick<AppContext, 'database'>, table: keyof DirectoryTables, key: string, rows: Record<string, unknown>[]) {
  const columns = Object.keys(rows[0]!).filter((c) => c !== key);
  const db = ctx.database.db.withTables<DirectoryTables>();
  await db
    .insertInto(table)
    .values(rows as never)
    .onConflict((oc) =>
      oc.column(key as never).doUpdateSet((eb) =>
        Object.fromEntries([...columns, 'loaded_at'].map((c) => [c, c === 'loaded_at' ? new Date() : eb.ref(`excluded.${c}` as never)])) as never,
      ),
    )
    .execute();
}

interface Spec<T> {
  table: keyof DirectoryTables;
  /** The key column, what an upsert meets on. */
  key: string;
  columns: readonly string[];
  parse(fields: Record<string, string>, test?: boolean): RowResult<T>;
  /** The line's key, to tell a line repeating an earlier one. */
  keyOf(value: T): string;
  toRow(value: T, masterKey: Buffer): Record<string, unknown>;
}

const insuredSpec: Spec<InsuredPerson> = {
  table: 'insured_person',
  key: 'nir_index',
  columns: INSURED_COLUMNS,
  parse: (fields, test) => parseInsuredRow(fields, { test }),
  keyOf: (p) => p.ins.matricule,
  toRow: (p, masterKey) => sealInsuredPerson(masterKey, insuredRecord(p)),
};

function insuredRecord(p: InsuredPerson): InsuredPersonRecord {
  return {
    nir: p.ins.matricule,
    insOid: p.ins.oid,
    birthName: p.ins.traits.birthName,
    firstNames: p.ins.traits.firstNames,
    usedName: p.usedName,
    sex: p.ins.traits.sex,
    birthDate: p.ins.traits.birthDate,
    birthPlace: p.ins.traits.birthPlace,
    cardHolderNir: p.cardHolderNir,
    vitaleSerial: p.vitaleSerial,
    vitaleType: p.vitaleType,
    email: p.email,
    mobile: p.mobile,
    address: { line: p.address.line, postalCode: p.address.postalCode, city: p.address.city },
    treatingDoctorRpps: p.treatingDoctorRpps,
  };
}

const professionalSpec: Spec<HealthProfessional> = {
  table: 'health_professional',
  key: 'rpps',
  columns: PROFESSIONAL_COLUMNS,
  parse: (fields) => parseProfessionalRow(fields),
  keyOf: (p) => p.rpps,
  toRow: (p) => ({
    rpps: p.rpps,
    last_name: p.lastName,
    first_name: p.firstName,
    profession_code: p.professionCode,
    specialty_code: p.specialtyCode,
    role: p.role,
    workplace_name: p.workplace.name,
    workplace_finess: p.workplace.finess,
    email: p.email,
  }),
};

const SPECS: { [K in DirectoryKind]: Spec<never> } = {
  insured: insuredSpec as Spec<never>,
  professionals: professionalSpec as Spec<never>,
};
